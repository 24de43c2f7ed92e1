/// The state of a remote action (`RemoteActionStatus`; also a webhook `eventStatus.status`,
/// which is a Pending status or a Done status).
public enum RemoteActionStatus: String, Sendable, Hashable, CaseIterable {
    // Pending.
    case accepted = "Accepted"
    case wakingUpVehicle = "WakingUpVehicle"
    case checkingVehicle = "CheckingVehicle"
    case sentToVehicle = "SentToVehicle"
    case vehicleBatteryChargeTooLow = "VehicleBatteryChargeTooLow"
    case tooManyWakeUpsOverMonth = "TooManyWakeUpsOverMonth"
    // Done.
    case success = "Success"
    case alreadyDone = "AlreadyDone"
    case failed = "Failed"

    /// Success, AlreadyDone and Failed end an action; the others are intermediate.
    public var isDone: Bool { self == .success || self == .alreadyDone || self == .failed }
}
