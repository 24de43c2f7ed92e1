import Foundation
import RuleLanguage

/// Great-circle distance (haversine, R = 6371.0088 km, SEMANTICS.md).
public enum Geo {
    public static let earthRadiusMeters = 6_371_008.8

    public static func distanceMeters(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let rad = Double.pi / 180
        let dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad
        let s1 = sin(dLat / 2), s2 = sin(dLon / 2)
        let h = s1 * s1 + cos(lat1 * rad) * cos(lat2 * rad) * s2 * s2
        return 2 * earthRadiusMeters * asin(min(1, sqrt(h)))
    }

    /// `inside(zone)`: the boundary is inside.
    public static func isInside(_ zone: Zone, latitude: Double, longitude: Double) -> Bool {
        distanceMeters(lat1: zone.latitude, lon1: zone.longitude, lat2: latitude, lon2: longitude) <= zone.radiusMeters
    }
}

/// The engine's test of one zone: `Geo.isInside` with the zone's cosine computed once and
/// the last position asked about remembered (an observation's rules ask about the same
/// position again and again). The same arithmetic in the same order: the same answers.
/// Plain values only (kept in a `PodBuffer`).
struct ZoneTest {
    private let latitude: Double, longitude: Double, radiusMeters: Double
    private let cosLatitude: Double
    private var lastLatitude = UInt64.max, lastLongitude = UInt64.max
    private var lastInside = false

    init(_ zone: Zone) {
        (latitude, longitude, radiusMeters) = (zone.latitude, zone.longitude, zone.radiusMeters)
        cosLatitude = cos(zone.latitude * (Double.pi / 180))
    }

    mutating func isInside(latitude lat: Double, longitude lon: Double) -> Bool {
        if lat.bitPattern == lastLatitude && lon.bitPattern == lastLongitude { return lastInside }
        let rad = Double.pi / 180
        let dLat = (lat - latitude) * rad, dLon = (lon - longitude) * rad
        let s1 = sin(dLat / 2), s2 = sin(dLon / 2)
        let h = s1 * s1 + cosLatitude * cos(lat * rad) * s2 * s2
        let inside = 2 * Geo.earthRadiusMeters * asin(min(1, sqrt(h))) <= radiusMeters
        (lastLatitude, lastLongitude, lastInside) = (lat.bitPattern, lon.bitPattern, inside)
        return inside
    }
}
