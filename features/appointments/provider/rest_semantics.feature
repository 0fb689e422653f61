Feature: FHIR REST semantics — methods, paths, media types and response headers
  A verb an interaction does not allow, a path naming nothing, and a body that is not FHIR are
  refused with an OperationOutcome. These requests go straight to the provider, as the Ssp-* header
  scenarios do: an SSP in the path would answer a bad verb or media type itself.

  @interaction:read_metadata @req:REST-VERB-01 @req:ERR-01
  Scenario Outline: <verb> <path> is refused as a verb the interaction does not allow
    When the consumer sends <verb> to <path> directly at the provider
    Then the request is refused with one of 405, 400 and an OperationOutcome as REST-VERB-01 requires

    Examples:
      | verb | path     |
      | POST | metadata |
      | PUT  | metadata |
      | POST | Slot     |

  @interaction:update_appointment @destructive @req:REST-VERB-01 @req:ERR-01
  Scenario Outline: <verb> on a booked appointment is refused as a verb the interaction does not allow
    Given a slot the consumer has booked
    When the consumer sends <verb> to the booked appointment directly at the provider
    Then the request is refused with one of 405, 400 and an OperationOutcome as REST-VERB-01 requires

    Examples:
      | verb   |
      | DELETE |
      | PATCH  |

  @req:REST-PATH-01 @req:ERR-01
  Scenario Outline: GET <path> names no resource of the provider
    When the consumer sends GET to <path> directly at the provider
    Then the request is refused with one of 404, 400, 501 and an OperationOutcome as REST-PATH-01 requires

    Examples:
      | path                                            |
      | NoSuchResource                                  |
      | slot                                            |
      | appointment/spine-conformance-never-issued-0000 |

  @interaction:create_appointment @destructive @req:REST-MEDIA-01 @req:ERR-01
  Scenario Outline: A booking declared <content type> is refused with 415
    Given a free slot in the configured window
    When the consumer books the slot directly at the provider declaring Content-Type <content type>
    Then the request is refused with 415 and an OperationOutcome as REST-MEDIA-01 requires

    Examples:
      | content type             |
      | text/plain               |
      | application/octet-stream |

  @interaction:update_appointment @destructive @req:REST-PUT-01 @req:ERR-01
  Scenario: A PUT to an Appointment id the provider never issued is refused, never created
    Given a slot the consumer has booked
    When the consumer cancels an appointment id the provider never issued
    Then the request is refused with one of 400, 404, 405, 412, 422 and an OperationOutcome as REST-PUT-01 requires

  @interaction:read_metadata @req:HTTP-05
  Scenario: Every answer, success or refusal, carries a Date header
    When the consumer sends GET to metadata directly at the provider
    And the consumer sends GET to Slot directly at the provider
    And the consumer sends GET to NoSuchResource directly at the provider
    Then every answer carries a Date header

  @interaction:update_appointment @destructive @req:HTTP-06
  Scenario: The cancel's 200 carries the appointment's Location
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match from the ETag it read
    Then the cancel's answer carries the appointment's absolute URL as its Location

  @interaction:create_appointment @destructive @req:HTTP-07
  Scenario: The booking's 201 carries Last-Modified
    Given a free slot in the configured window
    When the consumer books the slot for the test patient
    Then the booking's answer carries a Last-Modified date

  @interaction:create_appointment @destructive @req:HTTP-08
  Scenario Outline: A booking preferring return=<preference> gets it
    Given a free slot in the configured window
    When the consumer books the slot for the test patient preferring return=<preference>
    Then the answer honours return=<preference> for an Appointment

    Examples:
      | preference     |
      | minimal        |
      | representation |

  @interaction:update_appointment @destructive @req:HTTP-08
  Scenario Outline: A cancellation preferring return=<preference> gets it
    Given a slot the consumer has booked
    When the consumer reads the appointment
    Then the provider returns the appointment and its version
    When the consumer cancels it with If-Match from the ETag it read preferring return=<preference>
    Then the answer honours return=<preference> for an Appointment

    Examples:
      | preference     |
      | minimal        |
      | representation |

  @interaction:read_metadata @req:META-02
  Scenario: The CapabilityStatement describes the implementation
    When the consumer reads the provider's CapabilityStatement
    Then it names its publisher, software, formats, CareConnect profiles, search parameters and _includes
