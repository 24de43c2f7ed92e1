import VehicleData

// The live runtime reads Vigie's one clock (`VigieClock` and its `SystemClock`,
// `ManualClock` and `ScaledClock`, in VehicleData): the engine's timers, stale-data
// checks, budgets' days, poll intervals and remote time-outs. These names are kept for
// the call sites that still use the runtime's former names.

package typealias RuntimeClock = VigieClock
package typealias SystemClock = VehicleData.SystemClock
package typealias ManualRuntimeClock = ManualClock
package typealias ScaledRuntimeClock = ScaledClock
