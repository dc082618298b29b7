"""The HTTP API: thin routes that send commands to the domain and read read models."""
