"""The pure core every other package stands on: the field schema, money and exchange rates, translations,
the audience-country codec and literal Markdown. Imports nothing else from planner."""
