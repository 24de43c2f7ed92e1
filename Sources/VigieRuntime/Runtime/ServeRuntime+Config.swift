import AsyncHTTPClient
import VehicleData
import Foundation
import Logging
import MonitorCompiler
import OutcomeStore
import RuleLanguage
import StellantisAPI
import StellantisModels

extension RuntimeSettings {
    /// The settings a `vigie.yaml` gives (listen addresses, webhook secret, admin token,
    /// stale age, remote time-out, budgets, reorder window); the rest keep their defaults.
    package init(config: VigieConfig) {
        self.init(host: config.listen.host, port: config.listen.port,
                  webhookSecret: config.callback.webhookSecret.reveal(), staleAfter: config.staleAfter,
                  remoteTimeout: config.remoteTimeout, commandsPerDay: config.budgets.commandsPerDay,
                  wakeUpsPerDay: config.budgets.wakeUpsPerDay, reorderWindow: config.reorderWindow)
        wakeUpsPerMonth = config.budgets.wakeUpsPerMonth
        adminHost = config.admin.listen.host
        adminPort = config.admin.listen.port
        adminToken = config.admin.token?.reveal()
        // Validated when the configuration was read; UTC otherwise.
        budgetTimeZone = TimeZone(identifier: config.budgets.timeZone) ?? budgetTimeZone
        notifications = NotifierSettings(config: config)
        drift = DriftSettings(config: config)
        notifications?.vehicleLabels = drift?.labels
        if case .postgres(_, let shared) = config.store { partitions = shared }
    }
}

extension ServeRuntime {
    /// The runtime a configuration describes, for checked `bundles` (the rules of
    /// `config.rules`): its store (`store:`; SQLite is opened and migrated now,
    /// PostgreSQL when the runtime starts — docs/cluster.md), the guardrails of
    /// `safety:`, polling from the compiler's placements, and — when started — the API
    /// client, the callback `vigie apply` deployed (found by its label) and the VIN →
    /// vehicle id resolver.
    ///
    /// - Parameter httpClient: a shared HTTP client for the API (tests, the demo).
    package convenience init(config: VigieConfig, bundles: [CheckedBundle], clock: any VigieClock = SystemClock(),
                            logger: Logger = Logger(label: "vigie.serve"), httpClient: HTTPClient? = nil,
                            settings: RuntimeSettings? = nil) throws {
        let selected = try RuntimeStoreFactory.open(config, logger: logger)
        // SQLite answers the guardrails directly; PostgreSQL through a copy kept fresh in
        // the background (ControlMirror), loaded when the runtime starts.
        let mirror = selected.postgres.map { ControlMirror(store: $0, staleAfter: config.staleAfter, logger: logger) }
        let guardStore: any GuardStore
        if let sqlite = selected.sqlite { guardStore = sqlite } else if let mirror { guardStore = mirror } else {
            throw ServeError.configuration("no store selected")
        }
        let safety = SafetyGuard(policy: SafetyPolicy(config: config), database: guardStore, logger: logger)
        let polls = Self.pollIntervals(bundles: bundles, inventory: config.inventory,
                                       api: config.api.kind == .b2b ? .b2b : .b2c)
        self.init(settings: (settings ?? RuntimeSettings(config: config)).notifying(bundles: bundles), store: selected.store, database: selected.sqlite,
                  postgres: selected.postgres, controlMirror: mirror, bundles: bundles, inventory: config.inventory,
                  pollIntervals: polls, decisionGuard: safety, clock: clock, logger: logger) {
            try await Self.vehicleAPI(config: config, httpClient: httpClient, logger: logger)
        }
    }

    /// The API access of a configuration: its client, the deployed callback's id and
    /// a VIN → vehicle id resolver.
    static func vehicleAPI(config: VigieConfig, httpClient: HTTPClient?, logger: Logger) async throws -> any VehicleAPI {
        let client = try config.makeAPIClient(httpClient: httpClient, logger: logger)
        // The client owns an HTTP client of its own: when this attempt fails (API down,
        // session expired, no callback, shutdown began) it must be shut down before it is
        // dropped — AsyncHTTPClient stops the process otherwise.
        let found: Callback?
        do {
            found = try await client.findCallback(label: config.callback.label)
        } catch {
            try? await client.shutdown()
            throw error
        }
        guard let callback = found else {
            try? await client.shutdown()
            throw ServeError.configuration(
                "no callback labelled \"\(config.callback.label)\" is deployed: run `vigie apply --config FILE` first")
        }
        let resolver = VehicleResolver(client: client, known: config.vehicleIDs)
        let lookup: @Sendable (String) async throws -> String = { try await resolver.vehicleID(vin: $0) }
        switch client {
        case .b2c(let c): return StellantisVehicleAPI(client: .b2c(c), callbackID: callback.id, vehicleID: lookup)
        case .fleet(let c): return StellantisVehicleAPI(client: .fleet(c), callbackID: callback.id, vehicleID: lookup)
        }
    }
}
