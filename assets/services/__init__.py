"""Every write on assets, plaques and reports: plain functions with keyword-only arguments and
the acting `user`. Each checks the role and the commune scope (assets.access), applies the
domain rules (assets.rules) and records history with who did it, or raises DomainError.

The admin, the API, the staff pages, the importer and the commands only map DomainError to
their own answer (a message, a 403/400 JSON, a row refusal, a CommandError); none of them
decides who may do what.

- assets.services.codes: code issuance (one code space for assets and plaques)
- assets.services.registry: asset_create, asset_update, asset_verify, asset_reject,
  asset_retire, asset_delete, asset_revert
- assets.services.verification: asset_review_batch (the verification queue's bulk action)
- assets.services.plaques: plaque_issue, plaque_move, plaque_update, plaque_install,
  plaque_damage, plaque_replace, plaque_remove, plaque_delete
- assets.services.reports: report_create (the public form), report_moderate
"""
