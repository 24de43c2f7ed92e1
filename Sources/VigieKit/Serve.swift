import Foundation
import Logging
import RuleLanguage
import VigieRuntime

/// `vigie serve --config FILE`: reads the configuration and the rules it names, then
/// runs `ServeRuntime` until SIGINT / SIGTERM (docs/serve.md).
public enum Serve {
    /// Logging set up once per process: swift-log to standard error at `level`.
    private static let bootstrap: Void = {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }()

    /// The level names `--log-level` and `log_level:` accept.
    public static let levels = Logger.Level.allCases.map(\.rawValue)

    /// Runs the server; returns the exit status (0 after a graceful shutdown, 1 when the
    /// configuration, the rules, the database or the listener is unusable).
    public static func run(configPath: String, logLevel: String?, stderr: @escaping @Sendable (String) -> Void) async -> Int32 {
        let config: VigieConfig
        do {
            config = try VigieConfig.load(path: configPath)
        } catch {
            stderr("error: \(error)")
            return 1
        }
        let bundles: [CheckedBundle]
        do {
            let (checked, warnings) = try DeployRules.load(config.rules)
            if !warnings.isEmpty { stderr(warnings.hasSuffix("\n") ? String(warnings.dropLast()) : warnings) }
            bundles = checked
        } catch {
            stderr("error: \(error)")
            return 1
        }
        _ = bootstrap
        var logger = Logger(label: "vigie.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel ?? config.logLevel) ?? .info
        do {
            let runtime = try ServeRuntime(config: config, bundles: bundles, logger: logger)
            try await runtime.runUntilSignalled()
            return 0
        } catch {
            logger.critical("vigie serve could not start", metadata: ["error": "\(error)"])
            stderr("error: \(error)")
            return 1
        }
    }
}
