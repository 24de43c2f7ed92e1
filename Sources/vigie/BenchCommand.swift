import ArgumentParser

/// `vigie bench …`: benchmarks that print their figures (run them from a release build).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its figures (use a release build).",
        subcommands: [BenchValidateCommand.self, BenchEngineCommand.self, BenchDecodeCommand.self,
                      BenchIntakeCommand.self, BenchSimCommand.self, BenchSafetyCommand.self, BenchReplayCommand.self,
                      BenchLatencyCommand.self, BenchConsoleCommand.self, BenchNotifyCommand.self, BenchClusterCommand.self]
    )
}
