import ArgumentParser
import Foundation
import VigieKit

/// `vigie serve --config FILE`: the live runtime (docs/serve.md). Maps flags and calls
/// `Serve.run`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive notifications, evaluate the rules and send remote commands.",
        discussion: """
            Runs the webhook receiver, the engine loop, the dispatcher of remote commands and the \
            status poller for the rules and vehicles of the configuration, with /healthz and \
            /metrics on the same listener. Deploy the monitors and the callback with `vigie apply` \
            first. SIGINT or SIGTERM shuts down gracefully. Exit status: 0 after a graceful \
            shutdown, 1 when the configuration, the rules, the database or the listener is \
            unusable, 64 usage error.
            """
    )

    @Option(help: "The configuration file (vigie.yaml).") var config: String
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default: the configuration's).")
    var logLevel: String?
    @Option(help: "Log line format: text, json or logfmt (default: the configuration's log_format, else text).")
    var logFormat: String?

    func run() async throws {
        if let logLevel, !Serve.levels.contains(logLevel) {
            FileHandle.standardError.write(Data("error: --log-level must be one of \(Serve.levels.joined(separator: ", "))\n".utf8))
            throw ExitCode(64)
        }
        if let logFormat, !LogFormat.names.contains(logFormat) {
            FileHandle.standardError.write(Data("error: --log-format must be one of \(LogFormat.names.joined(separator: ", "))\n".utf8))
            throw ExitCode(64)
        }
        let status = await Serve.run(configPath: config, logLevel: logLevel, logFormat: logFormat) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if status != 0 { throw ExitCode(status) }
    }
}
