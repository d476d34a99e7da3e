import Testing

@Test func placeholderDriverTests() { #expect(true) }
