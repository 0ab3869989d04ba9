from sitrep.core.text import printable


def test_printable_drops_what_xml_cannot_hold_and_keeps_the_rest():
    assert printable("a\x00b\x01c\x1bd\x7fe\ufffff") == "abcd\x7fef"
    assert printable("tab\there\nline\r\nend") == "tab\there\nline\r\nend"
    assert printable("Dayr az Zawr ◆ دير الزور 🚀") == "Dayr az Zawr ◆ دير الزور 🚀"
    assert printable("") == ""
