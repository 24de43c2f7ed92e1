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
