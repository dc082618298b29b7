// Starts Swagger UI on /openapi.json; a file of its own, so that the page's CSP needs
// no inline script.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
