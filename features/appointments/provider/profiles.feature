Feature: Assurance profiles — the TKW pack's and GP Connect's own HTTP rules
  Some rules are an assurance pack's own choice rather than the Booking specification's. They are
  judged only when the target selects the pack in [spec] profiles ("tkw", "gp-connect"); otherwise
  these scenarios are not tested and their requirements are out of the run's scope.

  @interaction:read_metadata @req:TKW-GZIP-01
  Scenario Outline: The TKW pack: <what> is answered gzip-compressed when asked
    Given the tkw assurance profile is selected
    When the consumer <what> with Accept-Encoding gzip
    Then the answer is gzip-encoded as TKW-GZIP-01 requires

    Examples:
      | what                                             |
      | reads the CapabilityStatement                    |
      | searches for free slots in the configured window |

  @interaction:create_appointment @destructive @req:TKW-GZIP-01 @req:TKW-GZIP-02
  Scenario: The TKW pack: a gzip-compressed booking is accepted and answered gzip-compressed
    Given the tkw assurance profile is selected
    And a free slot in the configured window
    When the consumer books the slot for the test patient with a gzip-compressed body
    Then the booking is accepted with 201 as TKW-GZIP-02 requires
    And the answer is gzip-encoded as TKW-GZIP-01 requires

  @req:TKW-FORMAT-01
  Scenario Outline: The TKW pack: XML and JSON both — the consumer <what> asking for <wanted>
    Given the tkw assurance profile is selected
    And the provider declares XML in its CapabilityStatement
    When the consumer <what> asking for <wanted>
    Then the answer is <format> as TKW-FORMAT-01 requires

    Examples:
      | what                                             | wanted                                                                | format |
      | reads the CapabilityStatement                    | XML by Accept                                                         | XML    |
      | reads the CapabilityStatement                    | JSON by Accept                                                        | JSON   |
      | reads the CapabilityStatement                    | application/fhir+xml by _format                                       | XML    |
      | reads the CapabilityStatement                    | application/fhir+json by _format                                      | JSON   |
      | reads the CapabilityStatement                    | application/fhir+xml by _format and application/fhir+json by Accept | XML    |
      | reads the CapabilityStatement                    | application/fhir+json by _format and application/fhir+xml by Accept | JSON   |
      | searches for free slots in the configured window | xml by _format                                                        | XML    |
      | searches for free slots in the configured window | XML by Accept                                                         | XML    |

  @interaction:search_slot @req:TKW-VERB-01 @req:ERR-01
  Scenario: The TKW pack: a POST to Slot is refused with 405
    Given the tkw assurance profile is selected
    When the consumer sends POST to Slot directly at the provider
    Then the request is refused with 405 and an OperationOutcome as TKW-VERB-01 requires

  @interaction:create_appointment @destructive @req:TKW-MEDIA-01 @req:ERR-01
  Scenario: The TKW pack: a booking declared application/xml is refused with 415
    Given the tkw assurance profile is selected
    And a free slot in the configured window
    When the consumer books the slot directly at the provider declaring Content-Type application/xml
    Then the request is refused with 415 and an OperationOutcome as TKW-MEDIA-01 requires

  @interaction:read_appointment @req:GPC-CACHE-01
  Scenario: GP Connect: every answer, success or refusal, says Cache-Control: no-store
    Given the gp-connect assurance profile is selected
    When the consumer reads the CapabilityStatement asking for JSON by Accept
    And the consumer searches for free slots in the configured window asking for JSON by Accept
    And the consumer reads an appointment id the provider never issued asking for JSON by Accept
    Then every answer says Cache-Control: no-store

  @interaction:read_metadata @req:GPC-FORMAT-01
  Scenario Outline: GP Connect: the answer's format is chosen by <rule>
    Given the gp-connect assurance profile is selected
    And the provider declares <format> in its CapabilityStatement
    When the consumer reads the CapabilityStatement asking for <wanted>
    Then the answer is <format> as GPC-FORMAT-01 requires

    Examples:
      | rule                                  | wanted                                                 | format |
      | _format over Accept                   | xml by _format and application/fhir+json by Accept     | XML    |
      | _format over Accept                   | json by _format and application/fhir+xml by Accept     | JSON   |
      | JSON when nothing names a format      | nothing                                                | JSON   |

  @interaction:create_appointment @destructive @req:GPC-FORMAT-01
  Scenario: GP Connect: a booking sent in XML without an Accept header is answered in XML
    Given the gp-connect assurance profile is selected
    And the provider declares XML in its CapabilityStatement
    And a free slot in the configured window
    When the consumer books the slot for the test patient in XML without an Accept header
    Then the answer is XML as GPC-FORMAT-01 requires

  @interaction:read_metadata @req:GPC-FORMAT-02
  Scenario: GP Connect: both formats are declared and served
    Given the gp-connect assurance profile is selected
    When the consumer reads the CapabilityStatement asking for XML by Accept
    Then the CapabilityStatement declares and serves both formats as GPC-FORMAT-02 requires

  @interaction:read_metadata @req:GPC-MEDIA-01 @req:ERR-01
  Scenario: GP Connect: a request for a format the provider does not produce is refused with 415
    Given the gp-connect assurance profile is selected
    When the consumer reads the CapabilityStatement asking for text/turtle by Accept
    Then the request is refused with 415 and an OperationOutcome as GPC-MEDIA-01 requires

  @interaction:read_metadata @req:GPC-GZIP-01
  Scenario: GP Connect: an answer is gzip-compressed when asked
    Given the gp-connect assurance profile is selected
    When the consumer reads the CapabilityStatement with Accept-Encoding gzip
    Then the answer is gzip-encoded as GPC-GZIP-01 requires

  @interaction:create_appointment @req:GPC-CORS-01
  Scenario: GP Connect: a browser's CORS pre-flight is answered
    Given the gp-connect assurance profile is selected
    When a browser sends a CORS pre-flight for a booking
    Then the pre-flight allows the origin, the method and the headers
