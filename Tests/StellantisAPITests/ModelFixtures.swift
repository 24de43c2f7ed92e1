import StellantisModels

/// Model values as a conforming server would send them (and as the client sends bodies).
enum ModelFixtures {
    static let link = HALLink(href: "https://api.groupe-psa.com/connectedcar/v4/user")
    static let pageLinks: HALLinks = ["self": link, "first": link]

    static let vehicle = Vehicle(
        id: "a1b2", vin: "VF3ABCDE0FG123456", motorization: .known(.electric), brand: "Peugeot",
        createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-02T00:00:00Z", links: ["self": link],
        extensionData: .init(branding: .init(brand: "Peugeot", label: "e-208")))

    static let user = User(email: "a@example.com", firstName: "Ada", lastName: "L", createdAt: "2026-01-01T00:00:00Z",
                           links: ["self": link, "vehicles": link], vehicles: [vehicle])

    static let position = Position(
        geometry: GeoPoint(longitude: 2.3333, latitude: 48.8667, altitude: 35),
        properties: .init(createdAt: "2026-01-01T10:00:00Z", heading: 90, signalQuality: 3, type: .known(.acquire),
                          fixStatus: .known(.threeD)))

    static let alert = Alert(id: "al1", active: true, type: "FuelLevelLow", severity: .known(.warning),
                             startedAt: "2026-01-01T10:00:00Z", updatedAt: "2026-01-01T10:00:00Z",
                             startPosition: position, links: ["self": link])

    static let webhook = Webhook(target: "https://hooks.example.com/vigie", name: "vigie",
                                 attributes: [CallbackAttribute(type: .header, key: "X-Vigie-Secret", value: "s3cr3t"),
                                              CallbackAttribute(type: .query, key: "vin", value: "$vin")])

    static let subscribe = CallbackSubscribe(label: "vigie", type: [.known(.monitor), .known(.remote)],
                                             callback: CallbackTarget(webhook: webhook))

    static let b2bSubscribe = CallbackSubscribe(
        label: "fleet", callback: CallbackTarget(webhook: webhook),
        retryPolicy: .init(policy: "Bounded"), remoteTypes: [.known(.doors), .known(.horn)])

    static let callback = Callback(id: "cb1", label: "vigie", subscribe: subscribe, status: .running, links: ["self": link])

    static let remotes: [Remote] = [
        Remote(.charging(RemoteCharging(immediate: true))),
        Remote(.charging(RemoteCharging(schedule: .init(nextDelayedTime: "2026-01-01T23:30:00+01:00")))),
        Remote(.charging(RemoteCharging(preferences: .init(level: .level3, type: .partial)))),
        Remote(.preconditioning(RemotePreconditioning(airConditioning: .init(immediate: true)))),
        Remote(.preconditioning(RemotePreconditioning(airConditioning: .init(programs: [
            .init(slot: 1, enabled: true, actionsType: "Set", recurrence: "Daily", start: "PT7H30M",
                  occurence: .init(day: ["Mon", "Tue"])),
        ])))),
        Remote(.door(RemoteDoor(state: .locked))),
        Remote(.horn(RemoteHorn())),
        Remote(.lights(RemoteLights())),
        Remote(.wakeUp(RemoteWakeUp())),
        Remote(.navigation(RemoteNavigation(positions: [GeoPoint(longitude: 2.3333, latitude: 48.8667)],
                                            driverApproval: false))),
    ]

    static let remoteAction = RemoteAction(remoteActionId: "ra1", type: .doors, status: .success,
                                           remote: Remote(.door(RemoteDoor(state: .locked))), links: ["self": link])

    static let monitorMessage = WebhookMessage(
        callbackId: "cb1", attributes: [BodyAttribute(key: "fleet", value: "north")], type: .monitor,
        date: "2026-01-01T10:00:00Z",
        monitorEvent: MessageMonitorEvent(monitorId: "m1", values: [
            .init(data: "vehicle.energy.electric.level", literal: "18"),
            .init(data: "vehicle.energy.charging.plugged", literal: "true"),
        ], refresh: false))

    static let remoteMessage = WebhookMessage(
        callbackId: "cb1", type: .remote, date: "2026-01-01T10:00:05Z",
        remoteEvent: MessageRemoteEvent(remoteActionId: "ra1", remoteType: .doors,
                                        eventStatus: .init(type: .done, status: .failed, failureCause: .doorsOpen)))
}
