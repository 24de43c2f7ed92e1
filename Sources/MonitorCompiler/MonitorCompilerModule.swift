/// Module MonitorCompiler.
enum MonitorCompilerModule {}
