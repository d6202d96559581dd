"""What every other part of the shop stands on: settings, the Flask extensions, the database
and its models, logging and the formatting of money and dates. Imports nothing of the shop."""
