import VehicleData

/// The simulator's clock is Vigie's one clock (`VigieClock`, in VehicleData): the server
/// advances its world to `now()` on every tick; tests use `ManualClock`. This name is kept
/// for the call sites that still say `SimClock`.
public typealias SimClock = VigieClock
