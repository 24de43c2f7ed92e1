/// Module WebhookServer.
enum WebhookServerModule {}
