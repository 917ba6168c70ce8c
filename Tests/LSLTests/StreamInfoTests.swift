import Testing

@testable import LSL

@Suite struct StreamInfoTests {
    /// pylsl 1.18.6's `StreamInfo("Mosq & <x>", "", 3, 250.0, "float32", "src1").as_xml()` with a desc of one
    /// channel (label a, empty unit) and an empty element: liblsl's exact text, tabs and all.
    @Test func fullinfoIsLiblslsText() throws {
        var desc = LSLXMLElement("desc")
        desc.append(LSLXMLElement("channels", children: [LSLXMLElement("channel", children: [LSLXMLElement("label", text: "a"), LSLXMLElement("unit", text: "")])]))
        desc.append(LSLXMLElement("empty"))
        let info = try LSLStreamInfo(name: "Mosq & <x>", type: "", channelCount: 3, nominalRate: 250, channelFormat: .float32, sourceID: "src1", desc: desc)
        let expected = """
            <?xml version="1.0"?>
            <info>
            \t<name>Mosq &amp; &lt;x&gt;</name>
            \t<type></type>
            \t<channel_count>3</channel_count>
            \t<channel_format>float32</channel_format>
            \t<source_id>src1</source_id>
            \t<nominal_srate>250.0000000000000</nominal_srate>
            \t<version>1.100000000000000</version>
            \t<created_at>0.000000000000000</created_at>
            \t<uid></uid>
            \t<session_id></session_id>
            \t<hostname></hostname>
            \t<v4address></v4address>
            \t<v4data_port>0</v4data_port>
            \t<v4service_port>0</v4service_port>
            \t<v6address></v6address>
            \t<v6data_port>0</v6data_port>
            \t<v6service_port>0</v6service_port>
            \t<desc>
            \t\t<channels>
            \t\t\t<channel>
            \t\t\t\t<label>a</label>
            \t\t\t\t<unit></unit>
            \t\t\t</channel>
            \t\t</channels>
            \t\t<empty />
            \t</desc>
            </info>

            """
        #expect(info.fullinfo == expected)
        #expect(info.shortinfo.contains("\t<desc />\n</info>\n") && !info.shortinfo.contains("channels"))
    }

    @Test func numbersPrintLikeCsPercentHashPoint16g() {
        #expect(LSLNumberText.infoField(250) == "250.0000000000000")
        #expect(LSLNumberText.infoField(0) == "0.000000000000000")
        #expect(LSLNumberText.infoField(593.516109366) == "593.5161093660000")
        #expect(LSLNumberText.infoField(1e20) == "1.000000000000000e+20")
        #expect(LSLNumberText.timeField(1.5) == "1.5")
        #expect(LSLNumberText.timeField(12345.678901234567) == "12345.67890123457")
    }

    /// A rate that 16 digits cannot carry is read back by the inlet as a slightly different number; deduced
    /// stamps use that one.
    @Test func rateIsTheOneTheInletReads() {
        let rate = 0.1 + 0.2  // 0.30000000000000004: seventeen digits
        #expect(LSLNumberText.rateAsInletReadsIt(rate) == 0.3)
        #expect(LSLNumberText.rateAsInletReadsIt(rate) != rate)
    }

    @Test func controlCharactersAreEscapedAndBadNamesRefused() throws {
        #expect(LSLXMLWriter.escaped("a\u{1}b\tc") == "a&#1;b\tc")
        var desc = LSLXMLElement("desc")
        desc.append(LSLXMLElement("1bad"))
        #expect(throws: LSLError.self) { try desc.validateNames() }
        #expect(throws: LSLError.invalidStreamInfo("the name must not be empty")) {
            try LSLStreamInfo(name: "", type: "", channelCount: 1, nominalRate: 0, channelFormat: .string, sourceID: "")
        }
        #expect(throws: LSLError.self) {
            try LSLStreamInfo(name: "x", type: "", channelCount: 1, nominalRate: .nan, channelFormat: .string, sourceID: "")
        }
    }
}
