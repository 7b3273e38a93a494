import Foundation
import NIOConcurrencyHelpers
import ReclaimCore

/// The XML documents a device serves, rendered from its identity and a snapshot of its
/// state, outside the device actor.
enum ISAPIDocuments {
    static func deviceInfoElements(_ identity: DeviceIdentity, firmware: DeviceModel.Firmware) -> [XMLElement] {
        [
            .leaf("deviceID", identity.deviceID),
            .leaf("deviceDescription", identity.model.description),
            .leaf("deviceLocation", "reclaim-lab"),
            .leaf("model", identity.modelName),
            .leaf("serialNumber", identity.serial.text),
            .leaf("macAddress", identity.mac.bytes.map { Bytes.hex([$0]) }.joined(separator: ":")),
            .leaf("firmwareVersion", firmware.version),
            .leaf("firmwareReleasedDate", "build \(firmware.build)"),
            .leaf("encoderVersion", "V7.3"),
            .leaf("encoderReleasedDate", "build \(firmware.build)"),
            .leaf("deviceType", identity.model.kind.rawValue),
            .leaf("telecontrolID", "88"),
            .leaf("hardwareVersion", "0x0"),
        ]
    }

    /// `<QuestionList>` of the configured questions, each with its id and `details`.
    static func questionList(_ questions: [SecurityQuestion], details: (SecurityQuestion) -> [XMLElement]) -> XMLElement {
        XMLElement(
            "QuestionList", children: questions.map { XMLElement("Question", children: [.leaf("id", String($0.id))] + details($0)) })
    }

    /// `GET /ISAPI/System/deviceInfo`.
    static func deviceInfo(_ identity: DeviceIdentity, _ snapshot: DeviceSnapshot) -> String {
        let name = snapshot.state.settings.deviceName ?? identity.model.kind.defaultName
        return ISAPI.document(
            "DeviceInfo", [.leaf("deviceName", name)] + deviceInfoElements(identity, firmware: snapshot.state.installedFirmware(identity))
        ).document()
    }

    static func status(_ snapshot: DeviceSnapshot) -> XMLElement {
        let now = snapshot.now, state = snapshot.state
        return ISAPI.document(
            "DeviceStatus",
            [
                .leaf("currentDeviceTime", Self.localTime(now, zone: state.settings.timeZone)),
                .leaf("deviceUpTime", String(Int(now.timeIntervalSince(snapshot.startedAt)))),
                XMLElement(
                    "CPUList", children: [XMLElement("CPU", children: [.leaf("cpuDescription", "ARM"), .leaf("cpuUtilization", "4")])]),
                XMLElement(
                    "MemoryList",
                    children: [
                        XMLElement(
                            "Memory",
                            children: [
                                .leaf("memoryDescription", "DDR"), .leaf("memoryUsage", "96.0"), .leaf("memoryAvailable", "160.0"),
                            ])
                    ]),
                .leaf("activated", state.isActivated ? "true" : "false"),
            ])
    }

    static func time(_ snapshot: DeviceSnapshot) -> XMLElement {
        let state = snapshot.state
        return ISAPI.document(
            "Time",
            [
                .leaf("timeMode", "manual"), .leaf("localTime", Self.localTime(snapshot.now, zone: state.settings.timeZone)),
                .leaf("timeZone", state.settings.timeZone),
            ])
    }

    static func triggers(_ identity: DeviceIdentity) -> XMLElement {
        let channels = max(1, identity.model.digitalChannels + identity.model.analogChannels)
        var triggers: [XMLElement] = []
        for channel in 1...channels {
            for type in ["VMD", "tamperdetection"] {
                triggers.append(
                    XMLElement(
                        "EventTrigger",
                        children: [
                            .leaf("id", "\(type)-\(channel)"), .leaf("eventType", type),
                            .leaf("eventDescription", "\(type) Event trigger Information"),
                            .leaf("videoInputChannelID", String(channel)),
                            XMLElement(
                                "EventTriggerNotificationList",
                                children: [
                                    XMLElement(
                                        "EventTriggerNotification",
                                        children: [
                                            .leaf("id", "center"), .leaf("notificationMethod", "center"),
                                            .leaf("notificationRecurrence", "beginning"),
                                        ])
                                ]),
                        ]))
            }
        }
        return ISAPI.document("EventTriggerList", triggers)
    }

    static func motionDetection(_ snapshot: DeviceSnapshot) -> XMLElement {
        let state = snapshot.state
        return ISAPI.document(
            "MotionDetection",
            [
                .leaf("id", "1"), .leaf("enabled", state.settings.motionDetectionEnabled ? "true" : "false"),
                .leaf("enableHighlight", "false"), .leaf("samplingInterval", "2"), .leaf("startTriggerTime", "500"),
                .leaf("endTriggerTime", "500"), .leaf("regionType", "grid"),
                XMLElement("Grid", children: [.leaf("rowGranularity", "18"), .leaf("columnGranularity", "22")]),
                XMLElement(
                    "MotionDetectionLayout", attributes: ["version": "2.0"],
                    children: [
                        .leaf("sensitivityLevel", String(state.settings.motionSensitivity)),
                        XMLElement("layout", children: [.leaf("gridMap", String(repeating: "fffffc", count: 18))]),
                    ]),
            ])
    }

    static func users() -> XMLElement {
        ISAPI.document(
            "UserList",
            [
                XMLElement(
                    "User", attributes: ["version": "2.0"],
                    children: [.leaf("id", "1"), .leaf("userName", AdminAccount.userName), .leaf("userLevel", "Administrator")])
            ])
    }

    static func securityCapabilities(_ identity: DeviceIdentity) -> XMLElement {
        let policy = identity.passwordPolicy
        let hasAuthority = identity.authority != nil
        return ISAPI.document(
            "SecurityCap",
            [
                .leaf("supportUserNums", "1"),
                .leaf("isSupportGUIDFileDataExport", "true"),
                .leaf("isSupportSecurityQuestionConfig", "true"),
                .leaf("isSupportSecurityEmail", hasAuthority ? "true" : "false"),
                .leaf("isSupportIllegalLoginLock", "true"),
                XMLElement(
                    "SecurityLimits",
                    children: [
                        XMLElement(
                            "LoginPasswordLenLimit", attributes: ["min": String(policy.minimumLength), "max": String(policy.maximumLength)]),
                        XMLElement("SecurityAnswerLenLimit", attributes: ["min": "2", "max": "128"]),
                    ]),
                .leaf("passwordProfile", policy.profile.rawValue),
                .leaf("passwordRules", policy.summary(language: .english)),
                .leaf("secretTransport", SecretTransport.scheme),
            ])
    }

    static func externCapabilities(_ snapshot: DeviceSnapshot) -> XMLElement {
        let modes = snapshot.modes
        func flag(_ mode: RecoveryModes.Mode) -> String { modes.supported.contains(mode) ? "true" : "false" }
        return ISAPI.document(
            "ExternCapabilities",
            [
                .leaf("isSupportWithGUIDFileData", flag(.guidFile)),
                .leaf("isSupportWithSecurityQuestion", flag(.securityQuestions)),
                .leaf("isSupportWithSecurityEmail", flag(.reservedEmail)),
                .leaf("isSupportWithHCApp", "false"),
                .leaf("isSupportWithResetKey", flag(.supportKey)),
                .leaf("isSupportWithResetFile", flag(.supportFile)),
            ])
    }

    static func illegalLoginLock(_ snapshot: DeviceSnapshot) -> XMLElement {
        let lockout = snapshot.state.settings.lockout
        return ISAPI.document(
            "IllegalLoginLock",
            [
                .leaf("enabled", "true"), .leaf("maxIllegalLoginTimes", String(lockout.maxFailuresPerSource)),
                .leaf("maxIllegalLoginLockTime", String(Int(lockout.lockDuration))),
                .leaf("maxIllegalLoginTimesPerDevice", String(lockout.maxFailuresPerDevice)),
            ])
    }

    static func recoveryModes(_ snapshot: DeviceSnapshot) -> XMLElement {
        let modes = snapshot.modes
        return ISAPI.document(
            "RecoveryModes",
            [.leaf("activated", snapshot.state.isActivated ? "true" : "false")]
                + RecoveryModes.Mode.allCases.map { mode in
                    XMLElement(
                        "Mode",
                        children: [
                            .leaf("name", mode.rawValue), .leaf("supported", modes.supported.contains(mode) ? "true" : "false"),
                            .leaf("ready", modes.ready.contains(mode) ? "true" : "false"),
                        ])
                }
                + (snapshot.maskedReservedEmail.map { [.leaf("reservedEmail", $0)] } ?? []))
    }

    /// `2026-11-22T10:00:00+01:00` for a POSIX-style zone such as `CST-1:00:00` (UTC+1).
    static func localTime(_ date: Date, zone: String) -> String {
        let offset = utcOffset(of: zone)
        let shifted = date.addingTimeInterval(TimeInterval(offset))
        let base = shifted.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        let sign = offset >= 0 ? "+" : "-"
        let minutes = abs(offset) / 60
        return base.replacingOccurrences(of: "Z", with: "") + String(format: "%@%02d:%02d", sign, minutes / 60, minutes % 60)
    }

    /// Seconds east of UTC for `NAME±H[:MM[:SS]]` (POSIX sign: west is positive).
    static func utcOffset(of zone: String) -> Int {
        guard let signIndex = zone.firstIndex(where: { $0 == "+" || $0 == "-" }) else { return 0 }
        let parts = zone[zone.index(after: signIndex)...].split(separator: ":").compactMap { Int($0) }
        let seconds = (parts.first ?? 0) * 3600 + (parts.count > 1 ? parts[1] * 60 : 0)
        return zone[signIndex] == "-" ? seconds : -seconds
    }
}
