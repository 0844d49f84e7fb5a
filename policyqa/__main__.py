"""python -m policyqa ask|batch|eval"""

from policyqa.cli import main

raise SystemExit(main())
