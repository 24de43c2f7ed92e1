import Foundation
import OutcomeStore
import ServiceLifecycle

// Vigie's own alerts in `vigie serve` (docs/notifications.md, "Vigie's own alerts"): the
// alert monitor when `notifications.alerts` names channels, and the hooks that feed it.
extension ServeRuntime {
    /// The hooks' queue when alerts are configured (nil: nothing is queued).
    func makeAlertEvents() -> AlertEvents? {
        guard let notifications = settings.notifications, !notifications.alerts.isEmpty else { return nil }
        return AlertEvents()
    }

    /// `services` with the alert monitor placed just after the notifier (before the engine):
    /// it stops after the engine and the dispatcher, before the notifier, so the alerts of
    /// their last moves are queued and their deliveries started. The drift watcher
    /// (`settings.drift`) goes there too, alerts configured or not (its gauge).
    func withAlerts(_ services: [any Service], store: any RuntimeStore, events: AlertEvents?,
                    access: APIAccess, driftHere: @escaping @Sendable () -> Bool = { true }) -> [any Service] {
        var added: [any Service] = []
        var center: AlertCenter?
        if let events, let notifications = settings.notifications {
            let alerts = AlertCenter(store: store, sink: StoreAlertSink(store: store, wake: notifications.wake),
                                     channels: notifications.alerts, vehicleNames: notifications.vehicleNames,
                                     vehicleLabels: notifications.vehicleLabels,
                                     clock: clock, logger: logger)
            let intake = self.intake
            added.append(AlertMonitor(center: alerts, events: events, store: store, clock: clock,
                                      budget: DispatchBudget(settings: settings), readiness: { access.readiness },
                                      refusedCalls: { intake.snapshot.unauthorized }, logger: logger))
            center = alerts
        }
        if let drift = settings.drift {
            added.append(DriftWatcher(settings: drift, bundles: bundles, access: access, center: center,
                                      metrics: metrics, clock: clock, logger: logger, runsHere: driftHere))
        }
        var out = services
        out.insert(contentsOf: added, at: out.firstIndex { $0 is EngineService } ?? out.endIndex)
        return out
    }
}

extension NotifierSettings {
    /// These settings with Vigie's alerts told of each delivery given up (a channel
    /// failing) and of deliveries (a failing channel that delivers again).
    func reporting(to events: AlertEvents?) -> NotifierSettings {
        guard let events else { return self }
        var out = self
        let gaveUp = onGiveUp, delivered = onDelivered
        out.onGiveUp = { giveUp in
            events.channelGaveUp(giveUp)
            await gaveUp?(giveUp)
        }
        out.onDelivered = { channel in
            events.delivered(channel: channel)
            delivered?(channel)
        }
        return out
    }
}
