Feature: Content negotiation — JSON and XML
  Every interaction is asked for JSON and for XML by Accept.
  FHIR STU3 servers SHALL support server-driven content negotiation (Accept), SHOULD support the
  _format parameter, which overrides Accept, and SHALL send charset=utf-8. An XML answer is read
  into the same shape as a JSON one and judged by the same checks and the same validator. The XML
  scenarios apply where the CapabilityStatement's format declares application/fhir+xml; a target
  selecting the tkw profile, whose pack mandates XML, fails them when it does not.

  @interaction:read_metadata @req:HTTP-02 @req:HTTP-04 @req:VAL-01
  Scenario Outline: The CapabilityStatement in <format> by Accept
    Given the provider declares <format> in its CapabilityStatement
    When the consumer reads the CapabilityStatement asking for <format> by Accept
    Then the answer is <format> as HTTP-02 requires
    And its Content-Type declares charset=utf-8
    And the resource received is valid STU3 and meets its profile

    Examples:
      | format |
      | JSON   |
      | XML    |

  @interaction:search_slot @req:HTTP-02 @req:SLOT-01 @req:VAL-01
  Scenario Outline: Free slots in <format>
    Given the provider declares <format> in its CapabilityStatement
    When the consumer searches for free slots in the configured window asking for <format> by Accept
    Then the answer is <format> as HTTP-02 requires
    And the provider answers with a searchset Bundle as SLOT-01 requires
    And the resource received is valid STU3 and meets its profile

    Examples:
      | format |
      | JSON   |
      | XML    |

  @interaction:create_appointment @destructive @req:HTTP-02 @req:APPT-CREATE-01 @req:VAL-01
  Scenario Outline: A booking sent and answered in <format>
    Given the provider declares <format> in its CapabilityStatement
    And a free slot in the configured window
    When the consumer books the slot for the test patient in <format>
    Then the answer is <format> as HTTP-02 requires
    And the booking is confirmed with 201, a versioned Location, an ETag and the stored Appointment
    And the resource received is valid STU3 and meets its profile

    Examples:
      | format |
      | JSON   |
      | XML    |

  @interaction:read_appointment @destructive @req:HTTP-02 @req:APPT-READ-01 @req:VAL-01
  Scenario Outline: An appointment read in <format>
    Given the provider declares <format> in its CapabilityStatement
    And a slot the consumer has booked
    When the consumer reads the appointment asking for <format> by Accept
    Then the answer is <format> as HTTP-02 requires
    And the provider returns the appointment with meta.versionId and a matching weak ETag
    And the resource received is valid STU3 and meets its profile

    Examples:
      | format |
      | JSON   |
      | XML    |

  @interaction:search_appointment @destructive @req:HTTP-02 @req:APPT-SEARCH-01 @req:VAL-01
  Scenario Outline: The patient's appointments in <format>
    Given the provider declares <format> in its CapabilityStatement
    And a slot the consumer has booked
    When the consumer searches for the test patient's appointments asking for <format> by Accept
    Then the answer is <format> as HTTP-02 requires
    And the provider answers with a searchset Bundle as APPT-SEARCH-01 requires
    And the booked appointment is in it with a fullUrl naming its version
    And the resource received is valid STU3 and meets its profile

    Examples:
      | format |
      | JSON   |
      | XML    |

  @interaction:update_appointment @destructive @req:HTTP-02 @req:APPT-CANCEL-01 @req:VAL-01
  Scenario Outline: A cancellation sent and answered in <format>
    Given the provider declares <format> in its CapabilityStatement
    And a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it in <format> with If-Match from the ETag it read
    Then the answer is <format> as HTTP-02 requires
    And the provider confirms the cancellation with 200, a new version, an ETag and Last-Modified
    And the resource received is valid STU3 and meets its profile

    Examples:
      | format |
      | JSON   |
      | XML    |

  @interaction:read_appointment @req:HTTP-02 @req:APPT-READ-02 @req:ERR-01
  Scenario: A refusal asked for in XML is an XML OperationOutcome
    Given the provider declares XML in its CapabilityStatement
    When the consumer reads an appointment id the provider never issued asking for XML by Accept
    Then the request is refused with 404 and an OperationOutcome as APPT-READ-02 requires
    And the refusal is in XML as HTTP-02 requires

  @interaction:read_metadata @req:HTTP-03
  Scenario Outline: _format=<value> is answered in <format>
    Given the provider declares <format> in its CapabilityStatement
    When the consumer reads the CapabilityStatement asking for <value> by _format
    Then the answer is <format> as HTTP-03 requires

    Examples:
      | value                 | format |
      | json                  | JSON   |
      | application/json      | JSON   |
      | application/fhir+json | JSON   |
      | xml                   | XML    |
      | text/xml              | XML    |
      | application/xml       | XML    |
      | application/fhir+xml  | XML    |

  @interaction:read_metadata @req:HTTP-03
  Scenario Outline: _format overrides the Accept header
    Given the provider declares XML in its CapabilityStatement
    When the consumer reads the CapabilityStatement asking for <value> by _format and <other> by Accept
    Then the answer is <format> as HTTP-03 requires

    Examples:
      | value | other                 | format |
      | xml   | application/fhir+json | XML    |
      | json  | application/fhir+xml  | JSON   |
