from cleanpath.cli import main

main()
