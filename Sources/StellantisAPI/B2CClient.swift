import Foundation
import StellantisModels

/// The B2C API (`/connectedcar/v4/user/...`) for one signed-in user.
public struct B2CClient: Sendable {
    public let client: StellantisClient

    public init(client: StellantisClient) { self.client = client }

    // MARK: User and vehicles

    public func user() async throws -> User { try await client.get(User.self, "/user") }

    /// Every vehicle of the user (all pages).
    public func vehicles() async throws -> [Vehicle] { try await client.allPages(Vehicle.self, "/user/vehicles") }

    public func vehicle(_ id: String) async throws -> Vehicle {
        try await client.get(Vehicle.self, "/user/vehicles/\(segment(id))")
    }

    public func status(_ vehicleID: String) async throws -> VehicleStatus {
        try await client.get(VehicleStatus.self, "/user/vehicles/\(segment(vehicleID))/status")
    }

    public func lastPosition(_ vehicleID: String) async throws -> Position {
        try await client.get(Position.self, "/user/vehicles/\(segment(vehicleID))/lastPosition")
    }

    public func alerts(_ vehicleID: String) async throws -> [Alert] {
        try await client.allPages(Alert.self, "/user/vehicles/\(segment(vehicleID))/alerts")
    }

    // MARK: Callbacks

    public func callbacks() async throws -> [Callback] { try await client.allPages(Callback.self, "/user/callbacks") }

    public func createCallback(_ subscribe: CallbackSubscribe) async throws -> CallbackRef {
        try await client.send(.POST, "/user/callbacks", body: subscribe, as: CallbackRef.self)
    }

    public func callback(_ id: String) async throws -> Callback {
        try await client.get(Callback.self, "/user/callbacks/\(segment(id))")
    }

    public func updateCallback(_ id: String, _ subscribe: CallbackSubscribe) async throws -> CallbackRef {
        try await client.send(.PUT, "/user/callbacks/\(segment(id))", body: subscribe, as: CallbackRef.self)
    }

    public func deleteCallback(_ id: String) async throws {
        _ = try await client.send(APIRequest(.DELETE, "/user/callbacks/\(segment(id))"))
    }

    public func setCallbackStatus(_ id: String, _ status: CallbackStatus) async throws {
        _ = try await client.send(APIRequest(.PUT, "/user/callbacks/\(segment(id))/status",
                                             body: try client.encode(CallbackStatusSetter(status: status))))
    }

    // MARK: Monitors

    func monitorsPath(_ vehicleID: String, _ callbackID: String) -> String {
        "/user/vehicles/\(segment(vehicleID))/callbacks/\(segment(callbackID))/monitors"
    }

    public func monitors(vehicle: String, callback: String) async throws -> [MonitorState] {
        try await client.allPages(MonitorState.self, monitorsPath(vehicle, callback))
    }

    public func createMonitor(vehicle: String, callback: String, _ monitor: MonitorParameter) async throws -> MonitorRef {
        try await client.send(.POST, monitorsPath(vehicle, callback), body: monitor, as: MonitorRef.self)
    }

    public func monitor(vehicle: String, callback: String, id: String) async throws -> MonitorState {
        try await client.get(MonitorState.self, monitorsPath(vehicle, callback) + "/\(segment(id))")
    }

    public func updateMonitor(vehicle: String, callback: String, id: String,
                              _ monitor: MonitorParameter) async throws -> MonitorRef {
        try await client.send(.PUT, monitorsPath(vehicle, callback) + "/\(segment(id))", body: monitor, as: MonitorRef.self)
    }

    public func deleteMonitor(vehicle: String, callback: String, id: String) async throws {
        _ = try await client.send(APIRequest(.DELETE, monitorsPath(vehicle, callback) + "/\(segment(id))"))
    }

    public func setMonitorStatus(vehicle: String, callback: String, id: String, _ status: MonitorStatus) async throws {
        _ = try await client.send(APIRequest(.PUT, monitorsPath(vehicle, callback) + "/\(segment(id))/status",
                                             body: try client.encode(MonitorStatusSetter(status: status))))
    }

    // MARK: Remotes

    func remotesPath(_ vehicleID: String, _ callbackID: String) -> String {
        "/user/vehicles/\(segment(vehicleID))/callbacks/\(segment(callbackID))/remotes"
    }

    /// Sends a remote. Never repeated blindly: when the answer is lost (time-out, broken
    /// connection, 5xx), the vehicle's remotes are listed and compared with a listing made
    /// just before the POST; see `RemoteReconciler`.
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
