import Foundation

/// Great-circle distance (haversine, R = 6371.0088 km, SEMANTICS.md): the one the engine's
/// zones, the monitors' zone triggers and the simulator's routes all use.
public enum Geo {
    public static let earthRadiusMeters = 6_371_008.8

    public static func distanceMeters(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let rad = Double.pi / 180
        let dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad
        let s1 = sin(dLat / 2), s2 = sin(dLon / 2)
        let h = s1 * s1 + cos(lat1 * rad) * cos(lat2 * rad) * s2 * s2
        return 2 * earthRadiusMeters * asin(min(1, sqrt(h)))
    }
}
