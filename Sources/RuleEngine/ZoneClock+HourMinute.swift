extension ZoneClock {
    /// `HH:MM` of instant `t` in this zone (what `{{time}}` prints in a notify text).
    public func hourMinute(at t: Millis) -> String {
        let local = RFC3339.floorDiv(t, 1000) + Int64(offsetSeconds(at: t))
        let minute = Int(local - RFC3339.floorDiv(local, 86_400) * 86_400) / 60
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
