/// Module OutcomeStore.
enum OutcomeStoreModule {}
