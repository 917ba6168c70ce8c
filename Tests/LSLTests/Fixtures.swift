@testable import LSL

/// The stream most tests describe: 4 EEG channels at 250 Hz with the metadata readers look for.
enum Fixtures {
    static func desc(serial: String = "MQ-7") -> LSLXMLElement {
        var desc = LSLXMLElement("desc")
        var channels = LSLXMLElement("channels")
        for label in ["a", "b", "c", "d"] {
            channels.append(LSLXMLElement("channel", children: [
                LSLXMLElement("label", text: label), LSLXMLElement("unit", text: "mV"), LSLXMLElement("type", text: "EEG"),
            ]))
        }
        desc.append(channels)
        desc.append(LSLXMLElement("acquisition", children: [
            LSLXMLElement("manufacturer", text: "SENSORICA"), LSLXMLElement("serial_number", text: serial),
        ]))
        return desc
    }

    static func info(name: String = "Mosquito MQ-7", sourceID: String = "MQ-7", rate: Double = 250, format: LSLChannelFormat = .float32, channels: Int = 4) -> LSLStreamInfo {
        var info = try! LSLStreamInfo(name: name, type: "EEG", channelCount: channels, nominalRate: rate, channelFormat: format, sourceID: sourceID, desc: desc())
        info.sessionID = "default"
        return info
    }
}
