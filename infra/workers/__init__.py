"""Background workers (relay, projection consumer, regional instruction consumers,
deadline watcher, embedded feed), run by one shared loop, with heartbeats."""
