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
