import Foundation

/// Outside temperature: a seasonal mean plus a daily swing (coldest near 04:00, warmest
/// near 16:00 local time), in °C.
struct Weather: Sendable {
    var baseOffset: Double

    func temperature(at date: Date) -> Double {
        let tz = TripPlanner.timeZone
        let local = date.timeIntervalSince1970 + Double(tz.secondsFromGMT(for: date))
        let dayOfYear = (local / 86400).truncatingRemainder(dividingBy: 365.2425)
        let hour = (local / 3600).truncatingRemainder(dividingBy: 24)
        let seasonal = 12 - 8 * cos(2 * Double.pi * (dayOfYear - 15) / 365.2425)
        let daily = 5 * sin(2 * Double.pi * (hour - 10) / 24)
        return seasonal + daily + baseOffset
    }
}
