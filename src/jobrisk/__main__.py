from jobrisk.cli import main

main()
