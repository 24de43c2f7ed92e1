/// Module StellantisAPI.
enum StellantisAPIModule {}
