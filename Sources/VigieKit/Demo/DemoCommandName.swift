import Foundation
import OutcomeStore
import VehicleData

/// A remote body read back in the rule language's words, for the demo's timeline:
/// `{"charging":{"immediate":true}}` → `charge: start`.
enum DemoCommandName {
    static func describe(_ body: JSONValue) -> String {
        if let charging = body["charging"] {
            if let immediate = charging["immediate"]?.boolValue { return immediate ? "charge: start" : "charge: stop" }
            if let at = charging["schedule"]?["nextDelayedTime"]?.stringValue {
                // `2026-11-23T22:30:00+01:00` → `22:30` (the bundle's local time, as written in the rule).
                let time = at.split(separator: "T").last.map { String($0.prefix(5)) } ?? at
                return "charge: at \(time)"
            }
            if let prefs = charging["preferences"] {
                let parts = ["level", "type"].compactMap { key in prefs[key]?.stringValue.map { "\(key) \($0)" } }
                return "charge: " + parts.joined(separator: ", ")
            }
        }
        if let immediate = body["preconditioning"]?["airConditioning"]?["immediate"]?.boolValue {
            return immediate ? "precondition: start" : "precondition: stop"
        }
        if let state = body["door"]?["state"]?.stringValue { return state == "Locked" ? "doors: lock" : "doors: unlock" }
        if body["horn"] != nil { return "horn: on" }
        if body["lights"] != nil { return "lights: on" }
        if body["wakeUp"] != nil { return "wake_up" }
        if body["navigation"] != nil { return "navigate" }
        return StoreJSON.string(body)
    }
}
