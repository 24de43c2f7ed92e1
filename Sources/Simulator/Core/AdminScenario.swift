import Foundation

/// Scenario hooks for demos and end-to-end tests: set a vehicle's state as is (reported
/// at once, so monitors see it at the next evaluation) — "this car starts the day at
/// 15 %", "this one was left unlocked".
extension SimCore {
    /// Changes the state of the vehicle named by VIN or API id; false when there is none.
    @discardableResult
    package func adjustVehicle(_ vinOrId: String, _ change: @Sendable (inout SimVehicleState) -> Void) -> Bool {
        guard let i = world.vehicleIndex(vinOrId) else { return false }
        world.modify(i, change)
        evaluateMonitors(only: [i])
        return true
    }
}
