"""python -m policyqa ask|batch|eval"""

from .cli import main

raise SystemExit(main())
