import Testing

@Test func placeholderIRTests() { #expect(true) }
