import Foundation
import VehicleData
import Logging
import OutcomeStore

/// Vigie's own alerts, once per incident (docs/notifications.md, "Vigie's own alerts"):
/// an incident opens when its trouble is first seen and alerts then; it alerts again
/// when it is resolved, once. Incidents live in the store (one open per key), so after a
/// restart an incident still open is not alerted again, and an alert whose incident was
/// opened or resolved just before a crash is handed over at start (`flush`).
///
/// Each alert is one `NotificationRequest` of kind `alert` to `channels`
/// (`notifications.alerts`; a failing channel's alerts go through the others), with the
/// dedup key `alert:<incident id>:<state>`: handed over twice, it is delivered once.
///
/// Edge-triggered troubles (a command that failed, a channel that gave up) call `raise`
/// and `resolve`; level-triggered ones (holds, flapping, budgets) call `reconcile` with
/// what holds now. An actor: the hooks of several services reach it concurrently.
actor AlertCenter {
    let store: any RuntimeStore
    let sink: any AlertSink
    /// `notifications.alerts`.
    let channels: [String]
    /// VIN → inventory `name` (the alert's `vehicle`).
    let vehicleNames: [String: String]
    /// The API's labels, for a vehicle the inventory names not.
    let vehicleLabels: VehicleLabels?
    let clock: any VigieClock
    let logger: Logger
    /// The open incidents by key, read from the store at the first use after `refresh`.
    private var open: [String: AlertIncidentRecord]?

    init(store: any RuntimeStore, sink: any AlertSink, channels: [String], vehicleNames: [String: String] = [:],
         vehicleLabels: VehicleLabels? = nil, clock: any VigieClock, logger: Logger) {
        self.store = store
        self.sink = sink
        self.channels = channels
        self.vehicleNames = vehicleNames
        self.vehicleLabels = vehicleLabels
        self.clock = clock
        self.logger = logger
    }

    /// Forgets the open incidents read so far: the next use reads them from the store
    /// again. Called at each pass of the alert monitor and each drift check, so an
    /// incident another instance sharing the store opened or resolved is seen (a command
    /// that failed through one instance and succeeded through another resolves).
    func refresh() { open = nil }

    /// The keys of the open incidents.
    func openKeys() async throws -> Set<String> { Set(try await incidents().keys) }

    /// Opens the incident of `alert` unless its key is open; returns whether it opened
    /// (and alerted).
    @discardableResult
    func raise(_ alert: Alert) async throws -> Bool {
        if try await incidents()[alert.key] != nil { return false }
        let (incident, isNew) = try await store.openAlertIncident(alert.record(at: clock.now()))
        open?[incident.key] = incident
        guard isNew else { return false }   // opened meanwhile by another instance: it alerts
        logger.warning("alert: \(incident.title)", metadata: ["alert": "\(incident.kind)", "key": "\(incident.key)",
                                                            "text": "\(incident.text)"])
        await send(incident)
        return true
    }

    /// Resolves the open incident `key` with `text`; returns whether one was open (and
    /// the resolution alerted).
    @discardableResult
    func resolve(key: String, text: String) async throws -> Bool {
        guard try await incidents()[key] != nil else { return false }
        open?[key] = nil
        guard let incident = try await store.resolveAlertIncident(key: key, text: text, at: clock.now()) else {
            return false
        }
        logger.notice("alert resolved: \(incident.title)", metadata: ["alert": "\(incident.kind)", "key": "\(key)",
                                                                    "text": "\(text)"])
        await send(incident)
        return true
    }

    /// Level-triggered kinds: `firing` are the incidents of `kind` that hold now. Opens
    /// those not open; resolves the open ones of `kind` not among them, each with
    /// `resolution(incident)`.
    func reconcile(_ kind: AlertKind, firing: [Alert],
                   resolution: @Sendable (AlertIncidentRecord) -> String) async throws {
        let now = Set(firing.map(\.key))
        for incident in try await incidents().values.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) })
        where incident.kind == kind.rawValue && !now.contains(incident.key) {
            try await resolve(key: incident.key, text: resolution(incident))
        }
        for alert in firing { try await raise(alert) }
    }

    /// Hands over the alerts the store holds as due and not handed over (an incident
    /// opened or resolved just before a crash, or a sink that failed).
    func flush() async throws {
        for incident in try await store.unsentAlertIncidents() { await send(incident) }
    }

    private func incidents() async throws -> [String: AlertIncidentRecord] {
        if let open { return open }
        let loaded = Dictionary(try await store.openAlertIncidents().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        open = loaded
        return loaded
    }

    /// Hands over the incident's due alerts and marks each sent; a failure is logged and
    /// left to the next `flush`.
    private func send(_ incident: AlertIncidentRecord) async {
        guard let id = incident.id else { return }
        for state in incident.unsent {
            do {
                let targets = channels(for: incident)
                if !targets.isEmpty { try await sink.deliver(request(incident, state, id: id, channels: targets)) }
                try await store.markAlertSent(id: id, state: state)
            } catch {
                logger.error("alert not handed to the notifier; tried again later",
                             metadata: ["key": "\(incident.key)", "state": "\(state.rawValue)", "error": "\(error)"])
                return
            }
        }
    }

    /// The alert channels, without the channel an incident is about.
    func channels(for incident: AlertIncidentRecord) -> [String] {
        guard let failing = Alert.failingChannel(of: incident) else { return channels }
        return channels.filter { $0 != failing }
    }

    func request(_ incident: AlertIncidentRecord, _ state: AlertIncidentRecord.State, id: Int64,
                 channels: [String]) -> NotificationRequest {
        let firing = state == .firing
        return NotificationRequest(
            kind: .alert, channels: channels,
            text: firing ? incident.text : incident.resolvedText ?? "resolved",
            title: firing ? incident.title : "Resolved: " + incident.title,
            priority: firing ? AlertKind(rawValue: incident.kind)?.priority ?? "normal" : "normal",
            at: firing ? incident.openedAt : incident.resolvedAt ?? incident.openedAt,
            vin: incident.vin, vehicle: incident.vin.flatMap { vehicleNames[$0] ?? vehicleLabels?.label(vin: $0) }, bundle: incident.bundle,
            rule: incident.rule, alert: incident.kind, alertState: state.rawValue,
            dedupKey: "alert:\(id):\(state.rawValue)")
    }
}
