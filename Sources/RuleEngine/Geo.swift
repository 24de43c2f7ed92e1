import Foundation
import RuleLanguage
import VehicleData

extension Geo {
    /// `inside(zone)`: the boundary is inside.
    public static func isInside(_ zone: Zone, latitude: Double, longitude: Double) -> Bool {
        distanceMeters(lat1: zone.latitude, lon1: zone.longitude, lat2: latitude, lon2: longitude) <= zone.radiusMeters
    }
}

/// The engine's test of one zone: `Geo.isInside` with the zone's cosine computed once and
/// the last position asked about remembered (an observation's rules ask about the same
/// position again and again). The same arithmetic in the same order: the same answers.
/// Plain values only (kept in a `PodBuffer`).
///
/// Most positions are far from most zones: a cheap bound rules those out before the
/// haversine (two sines, a cosine and an arcsine). The great-circle distance is at least
/// the latitude difference along the meridian (`R·|Δφ|`), and at least
/// `2R·asin(√(cos φ₁ cos φ₂)·sin(|Δλ|/2))`; a position the bounds put beyond the radius
/// by more than a margin (10⁻⁹ of it, orders of magnitude above the rounding of the
/// haversine) is outside by the haversine too. Positions near the boundary get the
/// haversine itself.
struct ZoneTest {
    private let latitude: Double, longitude: Double, radiusMeters: Double
    private let cosLatitude: Double
    /// The largest latitude difference (radians) a position inside can have.
    private let maxLatitudeDelta: Double
    /// `sin²(r / 2R) / (cos φ_zone · cos φ_band)` with margin: a position within the
    /// latitude band whose `sin²(|Δλ|/2)` exceeds it is outside (`.infinity`: no bound,
    /// for zones that reach a pole).
    private let maxLongitudeSine2: Double
    private var lastLatitude = UInt64.max, lastLongitude = UInt64.max
    private var lastInside = false

    init(_ zone: Zone) {
        (latitude, longitude, radiusMeters) = (zone.latitude, zone.longitude, zone.radiusMeters)
        let rad = Double.pi / 180
        cosLatitude = cos(zone.latitude * rad)
        let slack = 1 + 1e-9
        let angle = zone.radiusMeters / Geo.earthRadiusMeters * slack + 1e-12
        maxLatitudeDelta = angle
        // Every position inside lies within `angle` of the zone's latitude, where the
        // cosine of the latitude is at least that of the band's edge nearer the pole.
        let edge = abs(zone.latitude) * rad + angle
        if edge < Double.pi / 2 - 1e-6, angle < 1 {
            let s = sin(angle / 2)
            maxLongitudeSine2 = s * s / (cosLatitude * cos(edge)) * slack
        } else {
            maxLongitudeSine2 = .infinity
        }
    }

    mutating func isInside(latitude lat: Double, longitude lon: Double) -> Bool {
        if lat.bitPattern == lastLatitude && lon.bitPattern == lastLongitude { return lastInside }
        let inside = isClearlyOutside(latitude: lat, longitude: lon) ? false : haversineInside(latitude: lat, longitude: lon)
        (lastLatitude, lastLongitude, lastInside) = (lat.bitPattern, lon.bitPattern, inside)
        return inside
    }

    /// The bounds of the type's comment: true only for positions the haversine puts
    /// outside.
    @inline(__always)
    func isClearlyOutside(latitude lat: Double, longitude lon: Double) -> Bool {
        let rad = Double.pi / 180
        if abs(lat - latitude) * rad > maxLatitudeDelta { return true }
        // |sin x| ≥ x − x³/6 for 0 ≤ x (a lower bound of the sine, below π/2 only useful).
        let x = abs(lon - longitude) * rad / 2
        guard x < 1 else { return false }
        let lower = x - x * x * x / 6
        return lower * lower > maxLongitudeSine2
    }

    /// `Geo.isInside`, with the zone's cosine computed once.
    func haversineInside(latitude lat: Double, longitude lon: Double) -> Bool {
        let rad = Double.pi / 180
        let dLat = (lat - latitude) * rad, dLon = (lon - longitude) * rad
        let s1 = sin(dLat / 2), s2 = sin(dLon / 2)
        let h = s1 * s1 + cosLatitude * cos(lat * rad) * s2 * s2
        return 2 * Geo.earthRadiusMeters * asin(min(1, sqrt(h))) <= radiusMeters
    }
}
