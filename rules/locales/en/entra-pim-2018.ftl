# Overrides for the entra-pim-2018 rule set. The 2018 document's example subject ends with a
# period: "PIM: Alain Charon was permanently assigned the Backup Reader role."

email-subject = { $prefix }{ $title }.
