import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage
import ServiceLifecycle

extension ServeRuntime {
    /// The notifier service when `settings.notifications` is set (docs/notifications.md);
    /// throws when a channel's settings cannot work at all (the message names no secret).
    func makeNotifier(store: any RuntimeStore, alerts: AlertEvents? = nil) throws -> (any Service)? {
        guard let notifications = settings.notifications?.reporting(to: alerts) else { return nil }
        return Notifier(settings: notifications, store: store, clock: clock,
                        channels: try Notifier.channels(for: notifications), metrics: metrics, logger: logger)
    }

    /// `services` with the notifier placed just before the engine: it starts before the
    /// engine and stops after it, so the deliveries of the engine's last commit are started.
    func withNotifier(_ services: [any Service], store: any RuntimeStore, alerts: AlertEvents? = nil) throws
        -> [any Service] {
        guard let notifier = try makeNotifier(store: store, alerts: alerts) else { return services }
        var out = services
        out.insert(notifier, at: out.firstIndex { $0 is EngineService } ?? out.endIndex)
        return out
    }
}

extension RuntimeSettings {
    /// These settings with the bundles' `notify_to` routes added to `notifications`.
    package func notifying(bundles: [CheckedBundle]) -> RuntimeSettings {
        guard var notifications else { return self }
        for bundle in bundles {
            if let to = bundle.notifyTo { notifications.bundleChannels[bundle.name] = to }
        }
        var out = self
        out.notifications = notifications
        return out
    }
}

extension NotifierSettings {
    /// The settings of `notifications:` with the inventory's vehicle names; nil without channels.
    package init?(config: VigieConfig) {
        var names: [String: String] = [:]
        for vehicle in config.inventory.vehicles {
            if let name = vehicle.name { names[vehicle.vin] = name }
        }
        self.init(config: config.notifications, bundles: [], vehicleNames: names)
    }
}
