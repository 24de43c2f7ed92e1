/// The kind of a remote action (`RemoteType`: union of B2C, B2B and the webhook templates).
public enum RemoteType: String, Sendable, Hashable, CaseIterable {
    case thermalPreconditioning = "ThermalPreconditioning"
    case electricBatteryChargingRequest = "ElectricBatteryChargingRequest"
    case horn = "Horn"
    case doors = "Doors"
    case lights = "Lights"
    case wakeUp = "WakeUp"
    case navigation = "Navigation"
    case immobilization = "Immobilization"
    case stolen = "Stolen"
    case vehicleState = "VehicleState"
    case chargingState = "ChargingState"
}

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

/// Why a remote action failed (`RemoteFailedEventStatus`).
public enum RemoteFailureCause: String, Sendable, Hashable, CaseIterable {
    case generalError = "GeneralError"
    case vehicleError = "VehicleError"
    case wrongCommand = "WrongCommand"
    case vehicleConnectionTimeout = "VehicleConnectionTimeout"
    case missingRights = "MissingRights"
    case notPossibleDueToVehicleBatteryLevel = "NotPossibleDueToVehicleBatteryLevel"
    case notPossibleDueToVehiclePrivacyLevel = "NotPossibleDueToVehiclePrivacyLevel"
    case tooManyWakeUpsOverMonth = "TooManyWakeUpsOverMonth"
    case tooManyRequestInShortTime = "TooManyRequestInShortTime"
    case sameActionInProgress = "SameActionInProgress"
    case notPossibleDueToVehicleStolenState = "NotPossibleDueToVehicleStolenState"
    case vehicleInUse = "VehicleInUse"
    case tooManyRequestSent = "TooManyRequestSent"
    case doorsOpen = "DoorsOpen"
    case vehicleErrorOrCidInside = "VehicleErrorOrCidInside"
    case cidInside = "CidInside"
    case externalChargingSystemError = "ExternalChargingSystemError"
    case vehicleChargingSystemError = "VehicleChargingSystemError"
    case vehicleIsNotLocked = "VehicleIsNotLocked"
    case canceledByDriver = "CanceledByDriver"
}

/// Extra detail on some successes (`RemoteEventFeedbackDetail`).
public enum RemoteFeedbackDetail: String, Sendable, Hashable, CaseIterable {
    case noCIDBlacklisted = "NoCIDBlacklisted", cidBlacklisted = "CIDBlacklisted"
}
