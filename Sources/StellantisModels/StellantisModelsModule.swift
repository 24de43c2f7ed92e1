/// Module StellantisModels.
enum StellantisModelsModule {}
