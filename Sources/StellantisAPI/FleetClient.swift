import Foundation
import StellantisModels

/// The B2B API (`/connectedcar/v3/fleets/{fid}/...`) for one fleet.
public struct FleetClient: Sendable {
    public let client: StellantisClient
    public let fleetID: String

    public init(client: StellantisClient, fleetID: String) {
        self.client = client
        self.fleetID = fleetID
    }

    var fleetPath: String { "/fleets/\(segment(fleetID))" }

    public func vehicles() async throws -> [Vehicle] { try await client.allPages(Vehicle.self, fleetPath + "/vehicles") }

    public func status(vehicle: String) async throws -> VehicleStatus {
        try await client.get(VehicleStatus.self, fleetPath + "/vehicles/\(segment(vehicle))/status")
    }

    public func lastPosition(vehicle: String) async throws -> Position {
        try await client.get(Position.self, fleetPath + "/vehicles/\(segment(vehicle))/lastPosition")
    }

    // MARK: Monitors

    public func monitors() async throws -> [MonitorState] { try await client.allPages(MonitorState.self, fleetPath + "/monitors") }

    public func createMonitor(_ monitor: MonitorParameter) async throws -> MonitorRef {
        try await client.send(.POST, fleetPath + "/monitors", body: monitor, as: MonitorRef.self)
    }

    public func monitor(_ id: String) async throws -> MonitorState {
        try await client.get(MonitorState.self, fleetPath + "/monitors/\(segment(id))")
    }

    public func updateMonitor(_ id: String, _ monitor: MonitorParameter) async throws -> MonitorRef {
        try await client.send(.PUT, fleetPath + "/monitors/\(segment(id))", body: monitor, as: MonitorRef.self)
    }

    public func deleteMonitor(_ id: String) async throws {
        _ = try await client.send(APIRequest(.DELETE, fleetPath + "/monitors/\(segment(id))"))
    }

    public func setMonitorStatus(_ id: String, _ status: MonitorStatus) async throws {
        _ = try await client.send(APIRequest(.PUT, fleetPath + "/monitors/\(segment(id))/status",
                                             body: try client.encode(MonitorStatusSetter(status: status))))
    }

    // MARK: Remote callbacks

    public func callbacks() async throws -> [Callback] {
        try await client.allPages(Callback.self, fleetPath + "/remote/callbacks")
    }

    public func createCallback(_ subscribe: CallbackSubscribe) async throws -> CallbackRef {
        try await client.send(.POST, fleetPath + "/remote/callbacks", body: subscribe, as: CallbackRef.self)
    }

    public func callback(_ id: String) async throws -> Callback {
        try await client.get(Callback.self, fleetPath + "/remote/callbacks/\(segment(id))")
    }

    public func updateCallback(_ id: String, _ subscribe: CallbackSubscribe) async throws -> CallbackRef {
        try await client.send(.PUT, fleetPath + "/remote/callbacks/\(segment(id))", body: subscribe, as: CallbackRef.self)
    }

    public func deleteCallback(_ id: String) async throws {
        _ = try await client.send(APIRequest(.DELETE, fleetPath + "/remote/callbacks/\(segment(id))"))
    }

    public func setCallbackStatus(_ id: String, _ status: CallbackStatus) async throws {
        _ = try await client.send(APIRequest(.PUT, fleetPath + "/remote/callbacks/\(segment(id))/status",
                                             body: try client.encode(CallbackStatusSetter(status: status))))
    }

    // MARK: Remotes

    func remotesPath(_ vehicle: String, _ callback: String) -> String {
        fleetPath + "/vehicles/\(segment(vehicle))/callbacks/\(segment(callback))/remotes"
    }

    /// Sends a remote; never repeated blindly (see `RemoteReconciler`).
    public func postRemote(vehicle: String, callback: String, _ remote: Remote) async throws -> RemotePostResponse {
        try await RemoteReconciler(client: client, path: remotesPath(vehicle, callback)).post(remote)
    }

    public func remotes(vehicle: String, callback: String) async throws -> [RemoteAction] {
        try await client.allPages(RemoteAction.self, remotesPath(vehicle, callback))
    }

    public func remote(vehicle: String, callback: String, id: String) async throws -> RemoteAction {
        try await client.get(RemoteAction.self, remotesPath(vehicle, callback) + "/\(segment(id))")
    }
}
