import Foundation
import StellantisAPI
import StellantisModels
import VehicleData

/// What the runtime asks of the Stellantis API, per vehicle VIN: post a remote, list
/// the vehicle's remotes (reconciliation), read its status (polling). The production
/// implementation is `StellantisVehicleAPI`; tests may substitute their own.
package protocol VehicleAPI: Sendable {
    /// POSTs one remote; never repeated blindly (the client reconciles a lost answer).
    /// Returns the `remoteActionId`.
    func postRemote(vin: String, body: Remote) async throws -> String
    /// The vehicle's remotes as the API lists them.
    func remotes(vin: String) async throws -> [RemoteAction]
    /// `GET …/status` of the vehicle.
    func status(vin: String) async throws -> VehicleStatus
    /// The rate limits the last answer reported.
    var rateLimitStatus: RateLimitStatus { get }
    /// Releases connections (at the runtime's shutdown).
    func shutdown() async
    /// A cheap authenticated call: throws while the session (or the API) is unusable. The
    /// runtime calls it to learn that a lost session works again (`vigie login`).
    func probe() async throws
}

extension VehicleAPI {
    package func shutdown() async {}
    package func probe() async throws {}
}

/// `VehicleAPI` over the B2C or B2B client: VINs are turned into the API's vehicle ids
/// by `vehicleID` (configured ids, or a listing), and remotes go to `callbackID`.
package struct StellantisVehicleAPI: VehicleAPI {
    package enum Client: Sendable {
        case b2c(B2CClient)
        case fleet(FleetClient)
    }

    package let client: Client
    package let callbackID: String
    package let vehicleID: @Sendable (String) async throws -> String

    package init(client: Client, callbackID: String, vehicleID: @escaping @Sendable (String) async throws -> String) {
        self.client = client
        self.callbackID = callbackID
        self.vehicleID = vehicleID
    }

    package func postRemote(vin: String, body: Remote) async throws -> String {
        let id = try await vehicleID(vin)
        switch client {
        case .b2c(let c): return try await c.postRemote(vehicle: id, callback: callbackID, body).remoteActionId
        case .fleet(let c): return try await c.postRemote(vehicle: id, callback: callbackID, body).remoteActionId
        }
    }

    package func remotes(vin: String) async throws -> [RemoteAction] {
        let id = try await vehicleID(vin)
        switch client {
        case .b2c(let c): return try await c.remotes(vehicle: id, callback: callbackID)
        case .fleet(let c): return try await c.remotes(vehicle: id, callback: callbackID)
        }
    }

    package func status(vin: String) async throws -> VehicleStatus {
        let id = try await vehicleID(vin)
        switch client {
        case .b2c(let c): return try await c.status(id)
        case .fleet(let c): return try await c.status(vehicle: id)
        }
    }

    /// Reads the deployed callback: authenticated, and cheap.
    package func probe() async throws {
        switch client {
        case .b2c(let c): _ = try await c.callback(callbackID)
        case .fleet(let c): _ = try await c.callback(callbackID)
        }
    }

    package func shutdown() async {
        switch client {
        case .b2c(let c): try? await c.client.shutdown()
        case .fleet(let c): try? await c.client.shutdown()
        }
    }

    package var rateLimitStatus: RateLimitStatus {
        switch client {
        case .b2c(let c): return c.client.rateLimitStatus
        case .fleet(let c): return c.client.rateLimitStatus
        }
    }
}
