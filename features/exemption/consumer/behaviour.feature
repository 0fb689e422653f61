@interaction:exemption_search
Feature: How an exemption-checking client behaves
  Client Functional Requirements v1.0: no check for patients under 16 or aged 60 and over
  (FR-20); one check per prescription, never polling (FR-23, FR-31); on an error, a slow or an
  invalid answer, fail fast and fall back to the paper declaration (errors.md, FR-42), telling
  the user the service is unavailable (FR-40, FR-42: response_handling.feature).

  @req:RTEC-CLI-01
  Scenario Outline: A patient aged <age> is not checked
    Given the exemption service answers with the exemption found
    When the consumer under test checks the exemption of a patient aged <age>
    Then it sent no request to the exemption service

    Examples:
      | age |
      | 10  |
      | 15  |
      | 60  |
      | 75  |

  @req:RTEC-CLI-02
  Scenario: A prescription is checked once, and nothing is sent unprompted
    Given the exemption service answers with the exemption found
    When the consumer under test is asked twice to check the same prescription
    Then it sent exactly one request for that prescription
    And no request arrives unprompted afterwards

  @req:RTEC-CLI-03
  Scenario Outline: The client falls back to the declaration when the service answers <answer>
    Given the exemption service answers <answer>
    When the consumer under test checks the exemption of an adult patient
    Then it gave up promptly and reported the fallback to the paper declaration

    Examples:
      | answer                                |
      | with a 500 error                      |
      | with a 503 error                      |
      | more slowly than a client should wait |
      | with an invalid response              |

  @req:RTEC-CLI-13
  Scenario Outline: The user is told the service is unavailable when it answers <answer>
    Given the exemption service answers <answer>
    When the consumer under test checks the exemption of an adult patient
    Then it told the user the exemption checking service is unavailable

    Examples:
      | answer                   |
      | with a 503 error         |
      | with an invalid response |
