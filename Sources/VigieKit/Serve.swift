import Console
import Foundation
import GRDB
import Logging
import OutcomeStore
import RuleLanguage
import UnixSignals
import VigieRuntime

/// `vigie serve --config FILE`: reads the configuration and the rules it names, then
/// runs `ServeRuntime` until SIGINT / SIGTERM (docs/serve.md). Around the runtime:
/// the log format (docs/production.md), systemd's readiness protocol (`READY=1` once the
/// listener is bound) and the background pruning that `retention:` asks for.
package enum Serve {
    /// Logging set up once per process: swift-log to standard error at `level`.
    private static let bootstrap: Void = {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }()

    /// The level names `--log-level` and `log_level:` accept.
    package static let levels = Logger.Level.allCases.map(\.rawValue)

    /// The logger of `format` (text: swift-log's stream handler; json, logfmt:
    /// `StructuredLogHandler`), both to standard error.
    package static func logger(label: String, format: LogFormat, level: Logger.Level) -> Logger {
        var logger: Logger
        switch format {
        case .text:
            _ = bootstrap
            logger = Logger(label: label)
        case .json, .logfmt:
            logger = Logger(label: label) { StructuredLogHandler.standardError(label: $0, format: format) }
        }
        logger.logLevel = level
        return logger
    }

    /// Runs the server; returns the exit status (0 after a graceful shutdown, 1 when the
    /// configuration, the rules, the database or the listener is unusable).
    package static func run(configPath: String, logLevel: String?, logFormat: String? = nil,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           stderr: @escaping @Sendable (String) -> Void) async -> Int32 {
        let config: VigieConfig
        do {
            config = try VigieConfig.load(path: configPath, environment: environment)
        } catch {
            stderr("error: \(error)")
            return 1
        }
        let bundles: [CheckedBundle]
        do {
            let (checked, warnings) = try DeployRules.load(config.rules, channels: config.notifications.names)
            if !warnings.isEmpty { stderr(warnings.hasSuffix("\n") ? String(warnings.dropLast()) : warnings) }
            bundles = checked
        } catch {
            stderr("error: \(error)")
            return 1
        }
        let format = LogFormat(rawValue: logFormat ?? config.logFormat) ?? .text
        let logger = Self.logger(label: "vigie.serve", format: format,
                                 level: Logger.Level(rawValue: logLevel ?? config.logLevel) ?? .info)
        let notifier = SystemdNotifier(environment: environment)
        // SQLite: first the database's writer lock, before anything opens, migrates,
        // recovers or writes: a second serve on the same file stops here having changed
        // nothing. PostgreSQL is shared by design (docs/cluster.md): no lock.
        var writerLock: WriterLock?
        if config.store == .sqlite {
            do {
                writerLock = try WriterLock.acquire(databasePath: config.databasePath)
            } catch {
                stderr("error: \(error)")
                return 1
            }
        }
        defer { withExtendedLifetime(writerLock) {} }
        do {
            let runtime = try ServeRuntime(config: config, bundles: bundles, logger: logger)
            // The web console on the admin listener (docs/console.md), on either store; traces
            // explained as `vigie explain` does (SQLite; on PostgreSQL the page gives the command).
            try Console.mount(on: runtime, explain: Explain.consoleExplainer(
                bundles: runtime.bundles, inventory: runtime.inventory, reorderWindow: runtime.settings.reorderWindow))
            let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
            try await runtime.start()
            do {
                try notifier?.send("READY=1\nSTATUS=listening on port \(runtime.boundPort ?? 0)\nMAINPID=\(getpid())")
            } catch {
                await runtime.shutdown()
                throw error
            }
            let background = startBackground(runtime: runtime, retention: config.retention, notifier: notifier)
            // Until a signal, or until a service fails on its own (then exit 1).
            let failure: String? = await withTaskGroup(of: String?.self) { group in
                group.addTask {
                    for await signal in signals {
                        logger.info("signal received", metadata: ["signal": "\(signal)"])
                        break
                    }
                    return nil
                }
                group.addTask { await runtime.stopped() }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            try? notifier?.send("STOPPING=1")
            for task in background { task.cancel() }
            for task in background { await task.value }
            await runtime.shutdown()
            if let failure {
                stderr("error: a service of vigie serve failed: \(failure)")
                return 1
            }
            return 0
        } catch {
            stderr("error: \(error)")
            return 1
        }
    }

    /// The retention pruner and the watchdog pings, as tasks cancelled at shutdown.
    static func startBackground(runtime: ServeRuntime, retention: Retention,
                                notifier: SystemdNotifier?) -> [Task<Void, Never>] {
        var tasks: [Task<Void, Never>] = []
        if retention.isEnabled {
            // Either store; on PostgreSQL one instance prunes at a time (RetentionPruner).
            let pruner = RetentionPruner(store: runtime.store, retention: retention)
            tasks.append(Task.detached { await pruner.run(clock: runtime.clock, logger: runtime.logger) })
        }
        if let notifier, let period = notifier.watchdogPeriod {
            tasks.append(Task.detached { await watchdog(notifier, period: period, runtime: runtime) })
        }
        return tasks
    }

    /// `WATCHDOG=1` at half the unit's `WatchdogSec=`, each after the database answered a
    /// read: a process wedged on its database stops pinging and systemd restarts it.
    static func watchdog(_ notifier: SystemdNotifier, period: Double, runtime: ServeRuntime) async {
        while !Task.isCancelled {
            if (try? await runtime.store.ping()) != nil {
                do { try notifier.send("WATCHDOG=1") } catch {
                    runtime.logger.warning("watchdog ping failed", metadata: ["error": "\(error)"])
                }
            }
            do { try await Task.sleep(nanoseconds: UInt64(period / 2 * 1_000_000_000)) } catch { return }
        }
    }
}
