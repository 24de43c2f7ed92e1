import Foundation
import Logging
import RuleLanguage
import ServiceLifecycle
import Synchronization
import VehicleData

/// serve's drift check (docs/notifications.md, "monitors-drifted"): once the API access
/// is ready, then every `settings.period` on the runtime's clock, it lists the monitors
/// deployed for Vigie's callback and compares them with what the rules compile to — the
/// comparison of `vigie plan` (`MonitorDrift`, `MonitorDiff`). It sets the
/// `vigie_monitors_drifted` gauge (monitors that differ), opens the `monitors-drifted`
/// incident while they differ and resolves it when they match again (alerts configured).
/// One check per period, each listing paged: a check never repeats on failure before the
/// next period, and is skipped while less than 10% of the API's daily quota is left (the
/// API's rate limits: commands and polls come first). The vehicles' labels the listing gives go to
/// `settings.labels` (`{{vehicle.name}}` without an inventory name). Several instances
/// on PostgreSQL list the same monitors: only the one `runsHere` says runs the check
/// (the holder of partition 0), the others skip their periods.
final class DriftWatcher: Service, Sendable {
    let settings: DriftSettings
    let bundles: [CheckedBundle]
    let access: APIAccess
    /// nil: the alerts are not configured (the gauge is still set).
    let center: AlertCenter?
    let labels: VehicleLabels
    let metrics: RuntimeMetrics
    let clock: any VigieClock
    let logger: Logger
    /// Whether this instance runs the check now (always with SQLite: one instance).
    let runsHere: @Sendable () -> Bool
    private let last = Mutex<MonitorDrift?>(nil)
    /// The share of the API's daily quota kept for commands and polls: below it (as the
    /// API last reported), a check is skipped until the next period.
    static let reserve = 0.1

    init(settings: DriftSettings, bundles: [CheckedBundle], access: APIAccess, center: AlertCenter?,
         metrics: RuntimeMetrics, clock: any VigieClock, logger: Logger, runsHere: @escaping @Sendable () -> Bool = { true }) {
        self.settings = settings
        self.bundles = bundles
        self.access = access
        self.center = center
        labels = settings.labels
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.runsHere = runsHere
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            guard (try? await self.access.api()) != nil else { return }
            while !Task.isCancelled {
                let started = self.clock.now()
                await self.checkIfHere()
                do { try await self.clock.sleep(until: started.addingTimeInterval(self.settings.period)) } catch { return }
            }
        }
    }

    /// One period's check, when this instance runs it (`runsHere`); nil otherwise.
    @discardableResult
    func checkIfHere() async -> MonitorDrift? {
        guard runsHere() else { return nil }
        return await check()
    }

    /// One check; returns the drift found (nil: not checked — the API is not ready or
    /// cannot list monitors, or the listing failed: logged, tried at the next period).
    @discardableResult
    func check() async -> MonitorDrift? {
        guard access.readiness.ready, let api = access.current, let source = api as? any MonitorDriftSource else {
            return nil
        }
        let limits = api.rateLimitStatus
        if let limit = limits.dayLimit, let left = limits.dayRemaining, limit > 0, Double(left) < Double(limit) * Self.reserve {
            logger.notice("deployed monitors not checked: the API's daily quota is nearly spent; commands first",
                          metadata: ["remaining": "\(left)", "limit": "\(limit)"])
            return nil
        }
        let report: DriftReport
        do {
            report = try await source.driftReport(bundles: bundles, settings: settings)
        } catch {
            if !Task.isCancelled {
                logger.warning("deployed monitors not checked against the rules; tried again later",
                               metadata: ["error": "\(error)"])
            }
            return nil
        }
        labels.update(report.labels)
        let drift = report.drift
        metrics.set(RuntimeMetrics.monitorsDrifted, to: Double(drift.count))
        let previous = last.withLock { s -> MonitorDrift? in
            defer { s = drift }
            return s
        }
        if drift != previous {
            if !drift.isEmpty {
                logger.warning("deployed monitors differ from the rules: run `vigie plan`, then `vigie apply`",
                               metadata: ["drift": "\(drift.summary())"])
            } else if previous != nil {
                logger.notice("deployed monitors match the rules again")
            }
            for warning in report.warnings { logger.warning("drift check: \(warning)") }
        }
        do {
            await center?.refresh()
            if drift.isEmpty {
                try await center?.resolve(key: Alert.driftKey, text: Alert.driftResolved)
            } else {
                try await center?.raise(.monitorsDrifted(drift))
            }
        } catch {
            logger.error("alerts: drift not recorded", metadata: ["error": "\(error)"])
        }
        return drift
    }
}
