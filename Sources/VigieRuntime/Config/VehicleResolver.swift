import Foundation
import StellantisAPI
import StellantisModels

/// Turns VINs into the API's vehicle ids (the API addresses vehicles by id). Ids the
/// configuration gives are used as they are; the others come from listing the
/// account's or fleet's vehicles, once, then cached (a VIN still unknown after a
/// listing triggers one more listing at most every `relistAfter` seconds).
package actor VehicleResolver {
    private let list: @Sendable () async throws -> [Vehicle]
    private var ids: [String: String]
    private var listedAt: Date?
    private let relistAfter: Double
    private let now: @Sendable () -> Date

    package init(known: [String: String] = [:], relistAfter: Double = 300, now: @escaping @Sendable () -> Date = { Date() },
                list: @escaping @Sendable () async throws -> [Vehicle]) {
        self.ids = known
        self.list = list
        self.relistAfter = relistAfter
        self.now = now
    }

    /// A resolver over a client, seeded with the configuration's known ids.
    package init(client: VigieAPIClient, known: [String: String] = [:]) {
        self.init(known: known) { try await client.vehicles() }
    }

    /// The vehicle id of `vin`; throws `VehicleResolverError.unknownVIN` when the API does not list it.
    package func vehicleID(vin: String) async throws -> String {
        if let id = ids[vin] { return id }
        if listedAt.map({ now().timeIntervalSince($0) >= relistAfter }) ?? true {
            try await refresh()
            if let id = ids[vin] { return id }
        }
        throw VehicleResolverError.unknownVIN(vin)
    }

    /// Lists the vehicles now (configured ids are kept; listed ones are added).
    package func refresh() async throws {
        let vehicles = try await list()
        listedAt = now()
        for vehicle in vehicles {
            if let vin = vehicle.vin, ids[vin] == nil { ids[vin] = vehicle.id }
        }
    }
}

package enum VehicleResolverError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownVIN(String)

    package var description: String {
        switch self {
        case .unknownVIN(let vin): return "vehicle \(vin) is not among the vehicles the API lists for this account or fleet"
        }
    }
}
