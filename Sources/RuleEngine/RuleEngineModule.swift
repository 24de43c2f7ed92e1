/// Module RuleEngine.
enum RuleEngineModule {}
