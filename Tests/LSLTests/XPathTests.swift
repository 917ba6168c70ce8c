import Testing

@testable import LSL

/// The XPath subset against the queries real clients send (pylsl, LabRecorder, mne-lsl, liblsl's own inlet
/// recovery) and the XPath 1.0 rules they rely on. LSLPeerTests.xpathAgreesWithLiblsl checks the same kind of
/// table against pugixml inside liblsl.
@Suite struct XPathTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let query: String
        let matches: Bool
        var testDescription: String { query }
    }

    static let supported: [Row] = [
        Row(query: "", matches: true),
        Row(query: "session_id='default'", matches: true),
        Row(query: "session_id='default' and name='Mosquito MQ-7'", matches: true),
        Row(query: "session_id='default' and type='EEG'", matches: true),
        Row(query: "session_id='default' and source_id='MQ-8'", matches: false),
        Row(query: "channel_count='4' and name='Mosquito MQ-7' and type='EEG' and source_id='MQ-7' and channel_format='float32'", matches: true),
        Row(query: "channel_count='4.0'", matches: false),
        Row(query: "channel_count=4.0", matches: true),
        Row(query: "desc/channels/channel/label='b'", matches: true),
        Row(query: "desc/channels/channel/label='zz'", matches: false),
        Row(query: "desc/channels/channel/label!='a'", matches: true),
        Row(query: "not(desc/channels/channel/label='a')", matches: false),
        Row(query: "desc/acquisition/serial_number='MQ-7'", matches: true),
        Row(query: "nominal_srate=250", matches: true),
        Row(query: "nominal_srate='250'", matches: false),
        Row(query: "nominal_srate='250.0000000000000'", matches: true),
        Row(query: "nominal_srate>100 and nominal_srate<=250", matches: true),
        Row(query: "nominal_srate>=250.5", matches: false),
        Row(query: "-nominal_srate < 0", matches: true),
        Row(query: "starts-with(name,'Mosquito')", matches: true),
        Row(query: "starts-with(name,'mosquito')", matches: false),
        Row(query: "contains(source_id,'Q-')", matches: true),
        Row(query: "not(type='Markers')", matches: true),
        Row(query: "name='A' or name='Mosquito MQ-7'", matches: true),
        Row(query: "session_id='default' and name='nope' or type='EEG'", matches: true),
        Row(query: "session_id='default' and (name='nope' or type='Markers')", matches: false),
        Row(query: "count(desc/channels/channel)=4", matches: true),
        Row(query: "/info/name='Mosquito MQ-7'", matches: true),
        Row(query: "desc/*/channel/unit='mV'", matches: true),
        Row(query: "./type=\"EEG\"", matches: true),
        Row(query: "desc/missing", matches: false),
        Row(query: "desc/channels", matches: true),
        Row(query: "string-length(uid)=0", matches: true),
        Row(query: "true() and not(false())", matches: true),
        Row(query: "v4address=''", matches: true),
    ]

    @Test(arguments: supported)
    func evaluates(_ row: Row) {
        var warnings: [String] = []
        #expect(Fixtures.info().matches(row.query) { warnings.append($0) } == row.matches)
        #expect(warnings.isEmpty, "\(warnings)")
    }

    /// What the subset leaves out, and plain syntax errors: no match, and a warning that says why.
    @Test(arguments: [
        "//label='a'", "desc/channels/channel[1]/label='a'", "@id='x'", "name='a' | type='b'",
        "nominal_srate+1=251", "nominal_srate * 2 = 500", "lower-case(name)='x'", "name=", "name='unterminated",
        "child::name='x'", "desc/channels/../name='x'", "$v='x'", "name='a' name='b'",
    ])
    func refuses(_ query: String) {
        var warnings: [String] = []
        #expect(!Fixtures.info().matches(query) { warnings.append($0) })
        #expect(warnings.count == 1 && warnings[0].contains(query), "\(warnings)")
    }

    @Test func numberConversionIsXPaths() {
        #expect(XPathValue.number(from: " 250.0000000000000 ") == 250)
        #expect(XPathValue.number(from: "-.5") == -0.5)
        #expect(XPathValue.number(from: "5.") == 5)
        #expect(XPathValue.number(from: "1e3").isNaN)
        #expect(XPathValue.number(from: "0x10").isNaN)
        #expect(XPathValue.number(from: "inf").isNaN)
        #expect(XPathValue.number(from: "").isNaN)
        #expect(XPathValue.number(from: "-").isNaN)
    }
}
