@interaction:exemption_search
Feature: RTEC request contract — the service refuses requests that break it
  A request missing one of the five required fields, or whose dob is not a date, is refused with
  400 (RTEC-RES-03). RTEC publishes no per-field validation rules, so refusing the other malformed
  values, and naming the field ("Please provide a valid {field}"), are advisory.

  @req:RTEC-RES-03
  Scenario Outline: A request without <field> is refused naming it
    When the client checks the exempt patient without the <field> field
    Then the service refuses it with 400 naming the missing <field>

    Examples:
      | field          |
      | dob            |
      | nhsNumber      |
      | postcode       |
      | surname        |
      | prescriptionId |

  @req:RTEC-RES-03
  Scenario Outline: A request with <defect> is refused naming the field
    When the client checks the exempt patient with <defect>
    Then the service refuses it with 400 naming the field that has <defect>

    Examples:
      | defect                                         |
      | a dob that is not a date                       |
      | a dob in the future                            |
      | an NHS number with a wrong check digit         |
      | an NHS number of nine digits                   |
      | a postcode that is not a UK postcode           |
      | an empty surname                               |
      | a surname that is not ASCII                    |
      | a prescription id with a wrong check character |
      | a prescription id of the wrong shape           |

  @req:RTEC-RES-03
  Scenario: An unknown extra field is refused by name or ignored
    When the client checks the exempt patient adding an unknown field
    Then the service refuses the unknown field by name or answers as if it were not there

  @req:RTEC-RES-03
  Scenario: A body not declared as JSON is refused
    When the client sends the exempt patient's request as text/plain
    Then the service refuses a body that is not declared as JSON
