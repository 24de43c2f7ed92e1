import Foundation
import VehicleData

/// A point on Earth, in degrees.
package struct GeoCoordinate: Sendable, Hashable {
    package var latitude: Double
    package var longitude: Double

    package init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle (haversine) distance in km (VehicleData's `Geo`).
    package func distanceKm(to other: GeoCoordinate) -> Double {
        Geo.distanceMeters(lat1: latitude, lon1: longitude, lat2: other.latitude, lon2: other.longitude) / 1000
    }

    /// The point a `fraction` (0…1) of the way to `other` (linear in degrees: routes are
    /// a few tens of km, where this is indistinguishable from the great circle).
    package func interpolated(to other: GeoCoordinate, fraction: Double) -> GeoCoordinate {
        let f = min(1, max(0, fraction))
        return GeoCoordinate(latitude: latitude + (other.latitude - latitude) * f,
                        longitude: longitude + (other.longitude - longitude) * f)
    }

    /// Initial course to `other`, degrees clockwise from north, 0…359.
    package func heading(to other: GeoCoordinate) -> Int {
        let rad = Double.pi / 180
        let y = sin((other.longitude - longitude) * rad) * cos(other.latitude * rad)
        let x = cos(latitude * rad) * sin(other.latitude * rad)
            - sin(latitude * rad) * cos(other.latitude * rad) * cos((other.longitude - longitude) * rad)
        let deg = atan2(y, x) / rad
        return Int((deg + 360).truncatingRemainder(dividingBy: 360)) % 360
    }

    /// A point `km` away in a random direction (at most), for scattering places.
    static func scattered(around center: GeoCoordinate, maxKm: Double, using rng: inout SimRandom) -> GeoCoordinate {
        let r = maxKm * sqrt(rng.uniform(0...1))
        let theta = rng.uniform(0...(2 * Double.pi))
        let dLat = r * cos(theta) / 111.195
        let dLon = r * sin(theta) / (111.195 * cos(center.latitude * Double.pi / 180))
        return GeoCoordinate(latitude: center.latitude + dLat, longitude: center.longitude + dLon)
    }
}
